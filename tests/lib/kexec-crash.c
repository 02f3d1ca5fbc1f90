// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-crash KERNEL INITRD CMDLINE: load a kdump capture kernel with
 * kexec_file_load(2) and KEXEC_FILE_ON_CRASH (the kernel adds elfcorehdr=).
 * Static, for the busybox initramfs (Debian's kexec is linked against Xen
 * libraries). Prints one line; exits 0 when the kernel took it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef KEXEC_FILE_ON_CRASH
#define KEXEC_FILE_ON_CRASH 0x00000002
#endif

int main(int argc, char **argv)
{
	int kfd, ifd;
	long rc;

	if (argc != 4) {
		fprintf(stderr, "usage: kexec-crash KERNEL INITRD CMDLINE\n");
		return 2;
	}
	kfd = open(argv[1], O_RDONLY);
	ifd = open(argv[2], O_RDONLY);
	if (kfd < 0 || ifd < 0) {
		printf("kexec-crash: cannot open %s: %s\n",
		       kfd < 0 ? argv[1] : argv[2], strerror(errno));
		return 1;
	}
	rc = syscall(SYS_kexec_file_load, kfd, ifd, strlen(argv[3]) + 1,
		     argv[3], KEXEC_FILE_ON_CRASH);
	if (rc) {
		printf("kexec-crash: kexec_file_load: %s\n", strerror(errno));
		return 1;
	}
	printf("kexec-crash: capture kernel loaded (%s)\n", argv[3]);
	return 0;
}
