/* minisvm's version, shown in the banner. */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#define MINISVM_VERSION "0.1"

#endif
