// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: hold slots=N of the CPU's hardware breakpoint slots with
 * perf breakpoint events (kernel-wide write watches on a variable nobody
 * writes), as a perf user with breakpoint events would, so that kdb's
 * own breakpoints find no free slot. Released on unload.
 */
#include <linux/module.h>
#include <linux/err.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

static unsigned int slots = HBP_NUM;
module_param(slots, uint, 0444);
MODULE_PARM_DESC(slots, "breakpoint slots to hold (1-4)");

static char hpetwd_hwbp_watched[HBP_NUM];
static struct perf_event * __percpu *hpetwd_hwbp_events[HBP_NUM];

static void hpetwd_hwbp_hit(struct perf_event *bp,
			    struct perf_sample_data *data, struct pt_regs *regs)
{
}

static void hpetwd_hwbp_release(void)
{
	unsigned int i;

	for (i = 0; i < HBP_NUM; i++) {
		if (hpetwd_hwbp_events[i])
			unregister_wide_hw_breakpoint(hpetwd_hwbp_events[i]);
		hpetwd_hwbp_events[i] = NULL;
	}
}

static int __init hpetwd_hwbp_init(void)
{
	struct perf_event_attr attr;
	struct perf_event * __percpu *ev;
	unsigned int i;

	if (!slots || slots > HBP_NUM) {
		pr_err("hpetwd_hwbp: slots=%u: must be 1-%d\n", slots, HBP_NUM);
		return -EINVAL;
	}
	for (i = 0; i < slots; i++) {
		hw_breakpoint_init(&attr);
		attr.bp_addr = (unsigned long)&hpetwd_hwbp_watched[i];
		attr.bp_len = HW_BREAKPOINT_LEN_1;
		attr.bp_type = HW_BREAKPOINT_W;
		ev = register_wide_hw_breakpoint(&attr, hpetwd_hwbp_hit, NULL);
		if (IS_ERR((void __force *)ev)) {
			pr_err("hpetwd_hwbp: slot %u: %ld\n", i, PTR_ERR((void __force *)ev));
			hpetwd_hwbp_release();
			return PTR_ERR((void __force *)ev);
		}
		hpetwd_hwbp_events[i] = ev;
	}
	pr_info("hpetwd_hwbp: %u breakpoint slots held by perf events\n", slots);
	return 0;
}
module_init(hpetwd_hwbp_init);

static void __exit hpetwd_hwbp_exit(void)
{
	hpetwd_hwbp_release();
}
module_exit(hpetwd_hwbp_exit);

MODULE_DESCRIPTION("Hold hardware breakpoint slots with perf events (hpetwd test bed)");
MODULE_LICENSE("GPL");
