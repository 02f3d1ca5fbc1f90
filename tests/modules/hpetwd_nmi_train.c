// SPDX-License-Identifier: GPL-2.0
/*
 * Test-bed NMI source that behaves like perf's sampling interrupts (TCG has
 * no PMU): an hrtimer on one sender CPU raises NMIs on a set of CPUs at a
 * given rate, and an NMI_LOCAL handler claims exactly the NMIs it raised.
 *
 * Like a PMU counter, a CPU has at most one emulated PMI outstanding: the
 * sender skips a CPU whose last one has not been handled yet (perf
 * re-arms its counter from the handler), and the handler claims an NMI
 * only when its CPU has one outstanding. So every NMI the handler claims
 * is one it sent; what it does not claim goes on to the NMI_WATCHDOG and
 * unknown-NMI handlers, as a perf NMI would.
 *
 * late_window_ms=W emulates AMD perf (amd_pmu_adjust_nmi_window()): for W
 * ms after claiming one of its own NMIs on a CPU, the handler also claims
 * every NMI there that it did not raise (counted as swallowed), since an
 * AMD PMU cannot tell a late PMI from another source's NMI.
 *
 * bench_nmis=N times N NMIs instead (make bench): the loading CPU sends
 * itself one NMI at a time and waits until this module's handler has
 * claimed it; the round trip - delivery, every NMI_LOCAL handler before
 * ours (the HPET watchdog's helper among them), return - in TSC cycles,
 * median and p99, is printed, and the module does not stay loaded.
 *
 *   insmod hpetwd_nmi_train.ko cpus=0-3 rate_hz=1000 [sender=0]
 *          [late_window_ms=100]
 *   insmod hpetwd_nmi_train.ko bench_nmis=100000
 *   rmmod hpetwd_nmi_train    # prints what was sent and claimed
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include <asm/apic.h>
#include <asm/nmi.h>

static char *cpus = "all";
module_param(cpus, charp, 0444);
MODULE_PARM_DESC(cpus, "CPUs that get the NMIs (cpulist, or all)");
static unsigned int rate_hz = 1000;
module_param(rate_hz, uint, 0444);
MODULE_PARM_DESC(rate_hz, "NMIs per second per CPU (1..100000)");
static int sender = -1;
module_param(sender, int, 0444);
MODULE_PARM_DESC(sender, "CPU whose hrtimer sends (default: first online)");
static unsigned int late_window_ms;
module_param(late_window_ms, uint, 0444);
MODULE_PARM_DESC(late_window_ms, "Also claim any NMI this long after an own one, as AMD perf does (0: off)");

static unsigned int bench_nmis;
module_param(bench_nmis, uint, 0444);
MODULE_PARM_DESC(bench_nmis, "Time this many self-NMIs instead of running a train, then unload");

static struct cpumask train_cpus;
static struct hrtimer train_timer;
static ktime_t train_period;
static bool train_stop;
static DEFINE_PER_CPU(atomic_t, train_outstanding);
static DEFINE_PER_CPU(unsigned long, train_sent);
static DEFINE_PER_CPU(unsigned long, train_skipped);
static DEFINE_PER_CPU(unsigned long, train_claimed);
static DEFINE_PER_CPU(unsigned long, train_swallowed);
static DEFINE_PER_CPU(unsigned long, train_window_end);

static enum hrtimer_restart train_fire(struct hrtimer *t)
{
	unsigned int cpu;

	if (READ_ONCE(train_stop))
		return HRTIMER_NORESTART;
	/*
	 * Each CPU's NMI goes out right after its outstanding mark, as a PMU
	 * raises its PMI when the counter overflows: an NMI that finds the
	 * mark set has the train's NMI in it or latched behind it, never
	 * one still to be sent (that would turn up later as an unknown NMI).
	 */
	for_each_cpu(cpu, &train_cpus) {
		if (atomic_cmpxchg(per_cpu_ptr(&train_outstanding, cpu), 0, 1)) {
			per_cpu(train_skipped, cpu)++;
			continue;
		}
		per_cpu(train_sent, cpu)++;
		__apic_send_IPI_mask(cpumask_of(cpu), NMI_VECTOR);
	}
	hrtimer_forward_now(t, train_period);
	return HRTIMER_RESTART;
}

static int train_nmi(unsigned int type, struct pt_regs *regs)
{
	atomic_t *out = this_cpu_ptr(&train_outstanding);

	if (!atomic_read(out) || !atomic_xchg(out, 0)) {
		/* Like AMD perf: jiffies, which stop when every CPU is stuck. */
		if (late_window_ms &&
		    time_before_eq(jiffies, this_cpu_read(train_window_end))) {
			this_cpu_inc(train_swallowed);
			return NMI_HANDLED;
		}
		return NMI_DONE;
	}
	this_cpu_inc(train_claimed);
	if (late_window_ms)
		this_cpu_write(train_window_end,
			       jiffies + msecs_to_jiffies(late_window_ms));
	return NMI_HANDLED;
}

static void train_start(void *unused)
{
	hrtimer_start(&train_timer, train_period, HRTIMER_MODE_REL_PINNED_HARD);
}

static int train_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* NMIs per stretch with interrupts off: well below any lockup threshold. */
#define TRAIN_BENCH_CHUNK	200

static int train_bench(void)
{
	unsigned int i, j, cpu = 0, lost = 0;
	unsigned long flags;
	u64 t0, spin;
	atomic_t *out;
	u32 *c;

	c = vmalloc_array(bench_nmis, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0; i < bench_nmis; i += TRAIN_BENCH_CHUNK) {
		local_irq_save(flags);
		cpu = smp_processor_id();
		out = per_cpu_ptr(&train_outstanding, cpu);
		for (j = i; j < min(i + TRAIN_BENCH_CHUNK, bench_nmis); j++) {
			atomic_set(out, 1);
			t0 = rdtsc_ordered();
			__apic_send_IPI_mask(cpumask_of(cpu), NMI_VECTOR);
			for (spin = 0; atomic_read(out) && spin < 100000000; spin++)
				cpu_relax();
			c[j] = min_t(u64, rdtsc_ordered() - t0, U32_MAX);
			if (atomic_xchg(out, 0))
				lost++;
		}
		local_irq_restore(flags);
		cond_resched();
	}
	sort(c, bench_nmis, sizeof(*c), train_cmp_u32, NULL);
	pr_info("bench: %u self-NMIs on CPU%u claimed by this handler, round trip in TSC cycles: median=%u p99=%u lost=%u\n",
		bench_nmis, cpu, c[bench_nmis / 2], c[(u64)bench_nmis * 99 / 100],
		lost);
	vfree(c);
	return 0;
}

static int __init train_init(void)
{
	int ret;

	if (bench_nmis) {
		ret = register_nmi_handler(NMI_LOCAL, train_nmi, 0, "hpetwd_train");
		if (ret)
			return ret;
		ret = train_bench();
		unregister_nmi_handler(NMI_LOCAL, "hpetwd_train");
		/* Nothing to keep loaded. */
		return ret ?: -ECANCELED;
	}

	if (!rate_hz || rate_hz > 100000) {
		pr_err("rate_hz=%u out of range 1..100000\n", rate_hz);
		return -EINVAL;
	}
	if (!strcmp(cpus, "all")) {
		cpumask_copy(&train_cpus, cpu_online_mask);
	} else if (cpulist_parse(cpus, &train_cpus) ||
		   !cpumask_subset(&train_cpus, cpu_online_mask) ||
		   cpumask_empty(&train_cpus)) {
		pr_err("cpus=%s is not a list of online CPUs\n", cpus);
		return -EINVAL;
	}
	if (sender < 0)
		sender = cpumask_first(cpu_online_mask);
	if (sender >= nr_cpu_ids || !cpu_online(sender)) {
		pr_err("sender=%d is not an online CPU\n", sender);
		return -EINVAL;
	}
	ret = register_nmi_handler(NMI_LOCAL, train_nmi, 0, "hpetwd_train");
	if (ret)
		return ret;
	train_period = ns_to_ktime(NSEC_PER_SEC / rate_hz);
	hrtimer_init(&train_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	train_timer.function = train_fire;
	smp_call_function_single(sender, train_start, NULL, 1);
	pr_info("started: %u Hz to CPUs %*pbl from CPU%d, late window %u ms\n",
		rate_hz, cpumask_pr_args(&train_cpus), sender, late_window_ms);
	return 0;
}

static void __exit train_exit(void)
{
	unsigned long sent = 0, claimed = 0, skipped = 0, swallowed = 0;
	unsigned int cpu, wait;

	WRITE_ONCE(train_stop, true);
	hrtimer_cancel(&train_timer);
	/*
	 * Let the last NMIs land before their handler goes: a vCPU may not
	 * run for a while, and one landing after it would be unknown.
	 */
	for (wait = 0; wait < 2000; wait++) {
		for_each_cpu(cpu, &train_cpus)
			if (atomic_read(per_cpu_ptr(&train_outstanding, cpu)))
				break;
		if (cpu >= nr_cpu_ids)
			break;
		usleep_range(1000, 2000);
	}
	if (wait == 2000)
		pr_warn("CPU%u has not taken its last NMI after 2 s\n", cpu);
	unregister_nmi_handler(NMI_LOCAL, "hpetwd_train");
	for_each_cpu(cpu, &train_cpus) {
		pr_info("cpu%u sent=%lu claimed=%lu skipped=%lu swallowed=%lu\n",
			cpu, per_cpu(train_sent, cpu), per_cpu(train_claimed, cpu),
			per_cpu(train_skipped, cpu), per_cpu(train_swallowed, cpu));
		sent += per_cpu(train_sent, cpu);
		claimed += per_cpu(train_claimed, cpu);
		skipped += per_cpu(train_skipped, cpu);
		swallowed += per_cpu(train_swallowed, cpu);
	}
	pr_info("stopped: %u Hz to CPUs %*pbl: sent=%lu claimed=%lu skipped=%lu swallowed=%lu\n",
		rate_hz, cpumask_pr_args(&train_cpus), sent, claimed, skipped,
		swallowed);
}

module_init(train_init);
module_exit(train_exit);
MODULE_DESCRIPTION("hpetwd test bed: a perf-like NMI train");
MODULE_LICENSE("GPL");
