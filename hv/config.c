/* Parsing of minisvm.cfg: "key=value" lines. Kept free of UEFI and of I/O so that it
 * is unit-tested on the host; boot/ reads the file, this turns it into settings. */
#include "hv/config.h"

#include <stdio.h>
#include <string.h>

#define CONFIG_LINE_BYTES 128

void config_set_defaults(struct hv_config *config)
{
    config->selftest = HV_SELFTEST_NONE;
    config->trace_exits = false;
    config->interleave = false;
    config->watchdog_seconds = HV_DEFAULT_WATCHDOG_SECONDS;
    config->guest_file[0] = '\0';
    for (unsigned i = 0; i < HV_CONFIG_VMS; i++) {
        config->vm_gmet[i] = HV_VM_SETTING_DEFAULT;
        config->vm_pat_intercept[i] = HV_VM_SETTING_DEFAULT;
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

/* A whole number of seconds, 0 to HV_MAX_WATCHDOG_SECONDS. */
static bool parse_seconds(const char *value, unsigned *out)
{
    unsigned long seconds = 0;

    if (*value == '\0')
        return false;
    for (const char *p = value; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        seconds = seconds * 10 + (unsigned long)(*p - '0');
        if (seconds > HV_MAX_WATCHDOG_SECONDS)
            return false;
    }
    *out = (unsigned)seconds;
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
    char message[CONFIG_LINE_BYTES * 2];

    int vm;

    if ((vm = vm_key(key, "gmet")) >= 0) {
        if (parse_choice(value, "on", "off", &config->vm_gmet[vm]))
            return;
    } else if ((vm = vm_key(key, "pat")) >= 0) {
        if (parse_choice(value, "intercept", "passthrough", &config->vm_pat_intercept[vm]))
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
        if (parse_seconds(value, &config->watchdog_seconds))
            return;
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

        while (pos < length && text[pos] != '\n') {
            if (n < sizeof line - 1)
                line[n++] = text[pos];
            pos++;
        }
        pos++; /* the newline */
        line[n] = '\0';

        char *comment = strchr(line, '#');
        if (comment)
            *comment = '\0';
        trim(line);
        if (line[0] == '\0')
            continue;
        char *equals = strchr(line, '=');
        if (!equals) {
            char message[CONFIG_LINE_BYTES * 2];
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
