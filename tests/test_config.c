/* Unit tests for the minisvm.cfg parser (hv/config.c): every key, bad values,
 * comments and blank lines, and file names that must not be accepted. */
#include "test.h"

#include "hv/config.h"

static char last_report[256];
static int reports;

static void record(const char *message)
{
    snprintf(last_report, sizeof last_report, "%s", message);
    reports++;
}

static struct hv_config parse(const char *text)
{
    struct hv_config config;

    reports = 0;
    last_report[0] = '\0';
    config_set_defaults(&config);
    config_parse(&config, text, strlen(text), record);
    return config;
}

TEST(defaults)
{
    struct hv_config c = parse("");

    EXPECT_EQ(c.selftest, HV_SELFTEST_NONE);
    EXPECT_FALSE(c.trace_exits);
    EXPECT_FALSE(c.interleave);
    EXPECT_STR_EQ(c.guest_file, "");
    EXPECT_EQ(reports, 0);
}

TEST(every_key)
{
    struct hv_config c = parse("trace=1\nschedule=interleaved\nselftest=host-exception\n"
                               "guest=my-guest_1.bin\n");

    EXPECT_TRUE(c.trace_exits);
    EXPECT_TRUE(c.interleave);
    EXPECT_EQ(c.selftest, HV_SELFTEST_HOST_EXCEPTION);
    EXPECT_STR_EQ(c.guest_file, "my-guest_1.bin");
    EXPECT_EQ(reports, 0);
}

TEST(every_selftest)
{
    static const struct {
        const char *text;
        enum hv_selftest selftest;
    } rows[] = {
        { "selftest=none", HV_SELFTEST_NONE },
        { "selftest=host-exception", HV_SELFTEST_HOST_EXCEPTION },
        { "selftest=refused-vmcb", HV_SELFTEST_REFUSED_VMCB },
        { "selftest=vmexit-invalid", HV_SELFTEST_VMEXIT_INVALID },
        { "selftest=hung-guest", HV_SELFTEST_HUNG_GUEST },
    };

    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("config: \"%s\"", rows[i].text);
        struct hv_config c = parse(rows[i].text);
        EXPECT_EQ(c.selftest, rows[i].selftest);
        EXPECT_EQ(reports, 0);
    }
}

TEST(watchdog_seconds)
{
    EXPECT_EQ(parse("").watchdog_seconds, HV_DEFAULT_WATCHDOG_SECONDS);
    EXPECT_EQ(parse("watchdog=0").watchdog_seconds, 0);
    EXPECT_EQ(parse("watchdog=2").watchdog_seconds, 2);
    EXPECT_EQ(parse("watchdog=86400").watchdog_seconds, 86400);
    EXPECT_EQ(reports, 0);
    EXPECT_EQ(parse("watchdog=86401").watchdog_seconds, HV_DEFAULT_WATCHDOG_SECONDS);
    EXPECT_EQ(reports, 1);
    EXPECT_EQ(parse("watchdog=-1").watchdog_seconds, HV_DEFAULT_WATCHDOG_SECONDS);
    EXPECT_EQ(parse("watchdog=").watchdog_seconds, HV_DEFAULT_WATCHDOG_SECONDS);
    EXPECT_EQ(parse("watchdog=1e3").watchdog_seconds, HV_DEFAULT_WATCHDOG_SECONDS);
}

TEST(per_vm_settings)
{
    struct hv_config c = parse("vm0.gmet=off\nvm1.gmet=on\nvm1.pat=passthrough\nvm3.pat=intercept\n");

    EXPECT_EQ(reports, 0);
    EXPECT_EQ(c.vm_gmet[0], HV_VM_SETTING_OFF);
    EXPECT_EQ(c.vm_gmet[1], HV_VM_SETTING_ON);
    EXPECT_EQ(c.vm_gmet[2], HV_VM_SETTING_DEFAULT);
    EXPECT_EQ(c.vm_pat_intercept[0], HV_VM_SETTING_DEFAULT);
    EXPECT_EQ(c.vm_pat_intercept[1], HV_VM_SETTING_OFF);
    EXPECT_EQ(c.vm_pat_intercept[3], HV_VM_SETTING_ON);

    static const char *const refused[] = {
        "vm4.gmet=on", "vm0.gmet=maybe", "vm0.pat=off", "vmx.pat=intercept", "vm0.colour=red",
        "vm00.gmet=on",
    };
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        test_row("config: \"%s\" refused", refused[i]);
        c = parse(refused[i]);
        EXPECT_EQ(reports, 1);
        for (unsigned vm = 0; vm < HV_CONFIG_VMS; vm++) {
            EXPECT_EQ(c.vm_gmet[vm], HV_VM_SETTING_DEFAULT);
            EXPECT_EQ(c.vm_pat_intercept[vm], HV_VM_SETTING_DEFAULT);
        }
    }
}

TEST(comments_blanks_spaces_and_crlf)
{
    struct hv_config c = parse("# a comment\r\n\r\n   trace = yes   # on\r\nschedule=sequential\r\n");

    EXPECT_TRUE(c.trace_exits);
    EXPECT_FALSE(c.interleave);
    EXPECT_EQ(reports, 0);
}

TEST(unknown_key_is_reported_and_ignored)
{
    struct hv_config c = parse("colour=blue\ntrace=on\n");

    EXPECT_EQ(reports, 1);
    EXPECT_STR_EQ(last_report, "unknown setting \"colour\" ignored");
    EXPECT_TRUE(c.trace_exits);
}

TEST(bad_values_are_reported_and_ignored)
{
    static const char *const lines[] = {
        "trace=maybe", "schedule=random", "selftest=explode", "guest=../evil.bin",
        "guest=\\minisvm\\x", "guest=.hidden", "guest=", "guest=a-name-that-is-far-too-long-to-fit.bin",
    };

    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        test_row("config: \"%s\" refused", lines[i]);
        struct hv_config c = parse(lines[i]);
        EXPECT_EQ(reports, 1);
        EXPECT_FALSE(c.trace_exits);
        EXPECT_FALSE(c.interleave);
        EXPECT_EQ(c.selftest, HV_SELFTEST_NONE);
        EXPECT_STR_EQ(c.guest_file, "");
    }
}

TEST(line_without_equals_is_reported)
{
    parse("trace\n");
    EXPECT_EQ(reports, 1);
    EXPECT_STR_EQ(last_report, "line \"trace\" has no '=' and is ignored");
}

TEST(linux_keys)
{
    struct hv_config c = parse("vm0.kernel=linux/vmlinuz\nvm0.initrd=linux/initrd.gz\n"
                               "vm0.cmdline=console=ttyS0 acpi=off  nolapic\nvm0.ram=128\n"
                               "vm3.kernel=bzImage\nvm3.ram=1024\n");

    EXPECT_STR_EQ(c.vm_kernel[0], "linux/vmlinuz");
    EXPECT_STR_EQ(c.vm_initrd[0], "linux/initrd.gz");
    EXPECT_STR_EQ(c.vm_cmdline[0], "console=ttyS0 acpi=off  nolapic");
    EXPECT_EQ(c.vm_ram_mib[0], 128);
    EXPECT_STR_EQ(c.vm_kernel[3], "bzImage");
    EXPECT_EQ(c.vm_ram_mib[3], 1024);
    EXPECT_STR_EQ(c.vm_kernel[1], "");
    EXPECT_EQ(c.vm_ram_mib[1], 0);
    EXPECT_EQ(reports, 0);
}

TEST(linux_keys_refused)
{
    static const char *const rows[] = {
        "vm0.kernel=../vmlinuz", "vm0.kernel=/vmlinuz", "vm0.kernel=linux//vmlinuz",
        "vm0.kernel=linux/", "vm0.kernel=linux/.hidden", "vm0.kernel=linux\\vmlinuz",
        "vm0.kernel=", "vm0.initrd=a b", "vm0.ram=0", "vm0.ram=3", "vm0.ram=1026",
        "vm0.ram=12x", "vm0.ram=", "vm0.ram=99999999999999999999", "vm0.cmdline=tab\there",
        "vm0.kernel=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    };

    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("refused: %s", rows[i]);
        struct hv_config c = parse(rows[i]);
        EXPECT_EQ(reports, 1);
        EXPECT_STR_EQ(c.vm_kernel[0], "");
        EXPECT_STR_EQ(c.vm_initrd[0], "");
        EXPECT_STR_EQ(c.vm_cmdline[0], "");
        EXPECT_EQ(c.vm_ram_mib[0], 0);
        EXPECT_TRUE(strncmp(last_report, "bad value", 9) == 0);
    }
}

TEST(long_command_line)
{
    static char text[HV_CONFIG_CMDLINE_BYTES + 64];
    size_t prefix = strlen("vm1.cmdline=");

    /* The longest command line the configuration holds is kept whole... */
    memcpy(text, "vm1.cmdline=", prefix);
    memset(text + prefix, 'x', HV_CONFIG_CMDLINE_BYTES - 1);
    text[prefix + HV_CONFIG_CMDLINE_BYTES - 1] = '\0';
    struct hv_config c = parse(text);
    EXPECT_EQ(strlen(c.vm_cmdline[1]), HV_CONFIG_CMDLINE_BYTES - 1);
    EXPECT_EQ(reports, 0);

    /* ...one more character is refused, never cut off. */
    memset(text + prefix, 'x', HV_CONFIG_CMDLINE_BYTES);
    text[prefix + HV_CONFIG_CMDLINE_BYTES] = '\0';
    c = parse(text);
    EXPECT_STR_EQ(c.vm_cmdline[1], "");
    EXPECT_EQ(reports, 1);

    /* A line longer than the parser's buffer is refused as a whole. */
    memset(text + prefix, 'y', sizeof text - prefix - 1);
    text[sizeof text - 1] = '\0';
    c = parse(text);
    EXPECT_STR_EQ(c.vm_cmdline[1], "");
    EXPECT_EQ(reports, 1);
    EXPECT_TRUE(strstr(last_report, "longer than") != NULL);
}

TEST(vm_limit)
{
    static const struct {
        const char *text;
        unsigned limit;
        int reports;
    } rows[] = {
        { "", 0, 0 }, { "vms=1", 1, 0 }, { "vms=4", 4, 0 }, { "vms=0", 0, 1 },
        { "vms=5", 0, 1 }, { "vms=two", 0, 1 }, { "vms=", 0, 1 },
    };

    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("vms: \"%s\" -> %u", rows[i].text, rows[i].limit);
        struct hv_config c = parse(rows[i].text);
        EXPECT_EQ(c.vm_limit, rows[i].limit);
        EXPECT_EQ(reports, rows[i].reports);
    }
}
