/* Descriptions of the minisvm error codes for log messages.
 * The codes themselves are defined in hv/errno.h. */
#include "hv/errno.h"

const char *hv_strerror(int error)
{
    switch (error) {
    case HV_OK:
        return "success";
    case HV_ENOENT:
        return "not present";
    case HV_ENOMEM:
        return "out of memory";
    case HV_EEXIST:
        return "already present";
    case HV_EINVAL:
        return "invalid argument";
    case HV_ENOSPC:
        return "table full";
    case HV_ERANGE:
        return "out of range";
    default:
        return "unknown error";
    }
}
