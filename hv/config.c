/* Parsing of minisvm.cfg: "key=value" lines. Kept free of UEFI and of I/O so that it
 * is unit-tested on the host; boot/ reads the file, this turns it into settings. */
#include "hv/config.h"

#include <stdio.h>
#include <string.h>

/* Room for the longest value (a command line) after its key. */
#define CONFIG_LINE_BYTES (HV_CONFIG_CMDLINE_BYTES + 32)

void config_set_defaults(struct hv_config *config)
{
    config->selftest = HV_SELFTEST_NONE;
    config->trace_exits = false;
    config->interleave = false;
    config->watchdog_seconds = HV_DEFAULT_WATCHDOG_SECONDS;
    config->vm_limit = 0;
    config->guest_file[0] = '\0';
    for (unsigned i = 0; i < HV_CONFIG_VMS; i++) {
        config->vm_gmet[i] = HV_VM_SETTING_DEFAULT;
        config->vm_pat_intercept[i] = HV_VM_SETTING_DEFAULT;
        config->vm_kernel[i][0] = '\0';
        config->vm_initrd[i][0] = '\0';
        config->vm_cmdline[i][0] = '\0';
        config->vm_ram_mib[i] = 0;
    }
}

/* "vmN.name" with N a VM number: the index, or -1. */
static int vm_key(const char *key, const char *name)
{
    if (strncmp(key, "vm", 2) != 0 || key[2] < '0' || key[2] >= '0' + HV_CONFIG_VMS ||
        key[3] != '.' || strcmp(key + 4, name) != 0)
        return -1;
    return key[2] - '0';
}

static bool parse_choice(const char *value, const char *on, const char *off,
                         enum hv_vm_setting *out)
{
    if (strcmp(value, on) == 0) {
        *out = HV_VM_SETTING_ON;
        return true;
    }
    if (strcmp(value, off) == 0) {
        *out = HV_VM_SETTING_OFF;
        return true;
    }
    return false;
}

/* selftest= values, indexed by enum hv_selftest. */
static const char *const selftest_names[] = {
    [HV_SELFTEST_NONE] = "none",
    [HV_SELFTEST_HOST_EXCEPTION] = "host-exception",
    [HV_SELFTEST_REFUSED_VMCB] = "refused-vmcb",
    [HV_SELFTEST_VMEXIT_INVALID] = "vmexit-invalid",
    [HV_SELFTEST_HUNG_GUEST] = "hung-guest",
};
_Static_assert(sizeof selftest_names / sizeof selftest_names[0] == HV_SELFTEST_COUNT,
               "every self-test has a name");

/* A plain file name: no path separators, nothing the firmware could misread. */
static bool valid_file_name(const char *name)
{
    size_t length = strlen(name);

    if (length == 0 || length >= HV_CONFIG_NAME_BYTES || name[0] == '.')
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* A path below \minisvm\: plain file names joined by '/', none empty, none
 * starting with '.' (so never ".."). */
static bool valid_path(const char *path)
{
    char part[HV_CONFIG_NAME_BYTES];
    size_t length = strlen(path);

    if (length == 0 || length >= HV_CONFIG_PATH_BYTES)
        return false;
    for (const char *start = path;;) {
        const char *slash = strchr(start, '/');
        size_t part_length = slash ? (size_t)(slash - start) : strlen(start);
        if (part_length == 0 || part_length >= sizeof part)
            return false;
        memcpy(part, start, part_length);
        part[part_length] = '\0';
        if (!valid_file_name(part))
            return false;
        if (!slash)
            return true;
        start = slash + 1;
    }
}

static bool parse_bool(const char *value, bool *out)
{
    if (strcmp(value, "1") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "on") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(value, "0") == 0 || strcmp(value, "no") == 0 || strcmp(value, "off") == 0) {
        *out = false;
        return true;
    }
    return false;
}

/* A whole decimal number from 0 to max. */
static bool parse_number(const char *value, unsigned long max, unsigned *out)
{
    unsigned long number = 0;

    if (*value == '\0')
        return false;
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        number = number * 10 + (unsigned long)(*p - '0');
        if (number > max)
            return false;
    }
    *out = (unsigned)number;
    return true;
}

/* MiB of guest RAM: even, HV_CONFIG_MIN_RAM_MIB to HV_CONFIG_MAX_RAM_MIB. */
static bool parse_ram_mib(const char *value, unsigned *out)
{
    unsigned mib;

    if (!parse_number(value, HV_CONFIG_MAX_RAM_MIB, &mib) || mib < HV_CONFIG_MIN_RAM_MIB ||
        mib % 2 != 0)
        return false;
    *out = mib;
    return true;
}

static bool copy_if(bool valid, char *out, size_t out_bytes, const char *value)
{
    if (!valid || strlen(value) >= out_bytes)
        return false;
    strcpy(out, value);
    return true;
}

static void trim(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    size_t start = 0;
    while (s[start] == ' ' || s[start] == '\t')
        start++;
    memmove(s, s + start, n - start + 1);
}

static void apply_setting(struct hv_config *config, const char *key, const char *value,
                          void (*report)(const char *message))
{
    char message[CONFIG_LINE_BYTES + 64];
    int vm;

    if ((vm = vm_key(key, "gmet")) >= 0) {
        if (parse_choice(value, "on", "off", &config->vm_gmet[vm]))
            return;
    } else if ((vm = vm_key(key, "pat")) >= 0) {
        if (parse_choice(value, "intercept", "passthrough", &config->vm_pat_intercept[vm]))
            return;
    } else if ((vm = vm_key(key, "kernel")) >= 0) {
        if (copy_if(valid_path(value), config->vm_kernel[vm], HV_CONFIG_PATH_BYTES, value))
            return;
    } else if ((vm = vm_key(key, "initrd")) >= 0) {
        if (copy_if(valid_path(value), config->vm_initrd[vm], HV_CONFIG_PATH_BYTES, value))
            return;
    } else if ((vm = vm_key(key, "cmdline")) >= 0) {
        /* Any printable text: it is the kernel's to interpret. */
        bool printable = true;
        for (const char *p = value; *p; p++)
            printable &= *p >= 0x20 && *p <= 0x7e;
        if (copy_if(printable, config->vm_cmdline[vm], HV_CONFIG_CMDLINE_BYTES, value))
            return;
    } else if ((vm = vm_key(key, "ram")) >= 0) {
        if (parse_ram_mib(value, &config->vm_ram_mib[vm]))
            return;
    } else if (strcmp(key, "selftest") == 0) {
        for (unsigned i = 0; i < sizeof selftest_names / sizeof selftest_names[0]; i++) {
            if (strcmp(value, selftest_names[i]) == 0) {
                config->selftest = (enum hv_selftest)i;
                return;
            }
        }
    } else if (strcmp(key, "guest") == 0) {
        if (valid_file_name(value)) {
            strcpy(config->guest_file, value);
            return;
        }
    } else if (strcmp(key, "watchdog") == 0) {
        if (parse_number(value, HV_MAX_WATCHDOG_SECONDS, &config->watchdog_seconds))
            return;
    } else if (strcmp(key, "vms") == 0) {
        if (parse_number(value, HV_CONFIG_VMS, &config->vm_limit) && config->vm_limit > 0)
            return;
        config->vm_limit = 0;
    } else if (strcmp(key, "schedule") == 0) {
        if (strcmp(value, "sequential") == 0 || strcmp(value, "interleaved") == 0) {
            config->interleave = strcmp(value, "interleaved") == 0;
            return;
        }
    } else if (strcmp(key, "trace") == 0) {
        if (parse_bool(value, &config->trace_exits))
            return;
    } else {
        snprintf(message, sizeof message, "unknown setting \"%s\" ignored", key);
        report(message);
        return;
    }
    snprintf(message, sizeof message, "bad value \"%s\" for \"%s\" ignored", value, key);
    report(message);
}

void config_parse(struct hv_config *config, const char *text, size_t length,
                  void (*report)(const char *message))
{
    size_t pos = 0;

    while (pos < length) {
        char line[CONFIG_LINE_BYTES];
        size_t n = 0;
        bool too_long = false;

        while (pos < length && text[pos] != '\n') {
            if (n < sizeof line - 1)
                line[n++] = text[pos];
            else
                too_long = true;
            pos++;
        }
        pos++; /* the newline */
        line[n] = '\0';
        if (too_long) {
            /* A cut-off value would be a different value: refuse the whole line. */
            char message[96];
            snprintf(message, sizeof message, "a line longer than %u characters is ignored",
                     (unsigned)(sizeof line - 1));
            report(message);
            continue;
        }

        char *comment = strchr(line, '#');
        if (comment)
            *comment = '\0';
        trim(line);
        if (line[0] == '\0')
            continue;
        char *equals = strchr(line, '=');
        if (!equals) {
            char message[CONFIG_LINE_BYTES + 64];
            snprintf(message, sizeof message, "line \"%s\" has no '=' and is ignored", line);
            report(message);
            continue;
        }
        *equals = '\0';
        char *key = line;
        char *value = equals + 1;
        trim(key);
        trim(value);
        apply_setting(config, key, value, report);
    }
}
