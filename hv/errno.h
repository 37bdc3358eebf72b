/* Error codes shared by every minisvm module: functions that can fail return
 * 0 on success or one of these negative values, and the caller decides.
 * The numbers follow the POSIX errno values so that they read familiarly. */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#define HV_OK        0
#define HV_ENOENT  (-2)   /* nothing there: an unmapped address, an absent entry */
#define HV_ENOMEM (-12)   /* out of memory: no free pages (or page tables) left */
#define HV_EEXIST (-17)   /* already present: overlapping range, double free */
#define HV_EINVAL (-22)   /* invalid argument: misaligned, zero-sized, bad flags */
#define HV_ENOSPC (-28)   /* a fixed-size table is full */
#define HV_ERANGE (-34)   /* an address or size outside what is supported */

/* A short description of an error code, for log messages; never NULL. */
const char *hv_strerror(int error);

#endif
