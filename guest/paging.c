/* Builds the guest's own page tables, replacing the 2 MiB identity map minisvm
 * started it with. Guest page tables hold guest-physical addresses; each access
 * the CPU makes to them is itself translated by minisvm's nested page tables.
 * See: APM Vol. 2 §5.3 (long-mode 4-level paging), §5.5 (TLB, INVLPG),
 * §15.25.5 (guest page tables under nested paging). */
#include "guest/paging.h"

#include "guest/string.h"
#include "guest/test.h"
#include "guest/x86.h"

#define ENTRIES_PER_TABLE 512

/* From guest.ld: section boundaries, all page aligned. */
extern const uint8_t __user_text_start[], __user_text_end[];
extern const uint8_t __user_bss_start[], __user_bss_end[];
extern const uint8_t __image_end[];

static uint64_t next_free_page;
static uint64_t *pml4;
static uint64_t *window_table;

/* Page-table pages come from the RAM just above the image, which the guest owns. */
static uint64_t *allocate_table(void)
{
    uint64_t page = next_free_page;

    if (page + PAGE_SIZE > boot_info.ram_bytes)
        test_bail_out("paging: no RAM left for page tables at 0x%lx", page);
    next_free_page += PAGE_SIZE;
    memset((void *)(uintptr_t)page, 0, PAGE_SIZE);
    return (uint64_t *)(uintptr_t)page;
}

/* Returns the leaf entry for virtual_address, creating the tables on the way.
 * Intermediate entries allow everything (P, RW, US): the leaf alone decides. */
static uint64_t *leaf_entry(uint64_t virtual_address)
{
    uint64_t *table = pml4;

    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t *entry = &table[(virtual_address >> shift) % ENTRIES_PER_TABLE];
        if (!(*entry & PTE_PRESENT))
            *entry = (uint64_t)(uintptr_t)allocate_table() | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
        table = (uint64_t *)(uintptr_t)(*entry & PTE_ADDRESS_MASK);
    }
    return &table[(virtual_address >> 12) % ENTRIES_PER_TABLE];
}

static int in_range(uint64_t address, const uint8_t *start, const uint8_t *end)
{
    return address >= (uint64_t)(uintptr_t)start && address < (uint64_t)(uintptr_t)end;
}

void paging_init(void)
{
    next_free_page = ((uint64_t)(uintptr_t)__image_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    pml4 = allocate_table();

    for (uint64_t address = PAGE_SIZE; address < boot_info.ram_bytes; address += PAGE_SIZE) {
        uint64_t flags = PTE_PRESENT | PTE_WRITABLE;
        if (in_range(address, __user_text_start, __user_text_end) ||
            in_range(address, __user_bss_start, __user_bss_end))
            flags |= PTE_USER;
        *leaf_entry(address) = address | flags;
    }

    /* Creating the window's first entry creates its page table; keep a pointer. */
    uint64_t *first = leaf_entry(WINDOW_BASE);
    window_table = first;
    *first = 0;

    /* A CR3 write flushes the non-global TLB entries of the old tables. */
    write_cr3((uint64_t)(uintptr_t)pml4);
}

uint64_t paging_map_window(unsigned index, uint64_t gpa)
{
    uint64_t virtual_address = WINDOW_BASE + index * PAGE_SIZE;

    window_table[index] = (gpa & PTE_ADDRESS_MASK) | PTE_PRESENT | PTE_WRITABLE;
    invlpg(virtual_address);
    return virtual_address;
}

void paging_unmap_window(unsigned index)
{
    uint64_t virtual_address = WINDOW_BASE + index * PAGE_SIZE;

    window_table[index] = 0;
    invlpg(virtual_address);
}

uint64_t paging_window_table_gpa(void)
{
    return (uint64_t)(uintptr_t)window_table;
}
