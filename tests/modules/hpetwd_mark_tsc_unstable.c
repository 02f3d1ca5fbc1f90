// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: mark the TSC unstable at run time, as the clocksource
 * watchdog would, so the HPET NMI watchdog's handover to buddy can be
 * tested. Loading it is the whole test; it stays loaded.
 */
#include <linux/module.h>
#include <asm/tsc.h>

static int __init hpetwd_mark_tsc_unstable_init(void)
{
	mark_tsc_unstable("hpetwd test module");
	return 0;
}
module_init(hpetwd_mark_tsc_unstable_init);

MODULE_DESCRIPTION("Mark the TSC unstable (hpetwd test bed)");
MODULE_LICENSE("GPL");
