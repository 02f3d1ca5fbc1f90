// SPDX-License-Identifier: GPL-2.0
/*
 * HPET NMI hard lockup detector (nmi_watchdog=hpet).
 *
 * A spare HPET channel runs periodically and sends its interrupt as an FSB
 * message with NMI delivery mode, so the PMU counter that the perf detector
 * would pin stays free. Two ways to reach every monitored CPU:
 *
 * rr:  the NMI visits the CPUs of the monitored mask in turn. The handler
 *      checks the CPU it landed on and points the channel at the next one
 *      with one write of the route register. No IPIs; CPUs outside the
 *      mask never see an NMI from us.
 * ipi: the NMI goes to one handling CPU, which checks itself, marks a round
 *      pending on every other online CPU and sends one all-but-self NMI IPI.
 *
 * Every monitored CPU is sampled each 0.225 * watchdog_thresh (a tenth
 * faster than thresh / 4, so that delivery jitter cannot push a report past
 * the bound) and reported when its hrtimer count has not moved over four
 * samples: at most 1.125 * watchdog_thresh after its last sign of life,
 * and never before 0.9 * watchdog_thresh without progress (the hrtimer
 * ticks every 0.4 * watchdog_thresh).
 *
 * The HPET cannot tell whether it raised an NMI (edge FSB messages set no
 * status, and reading it from the NMI is too slow anyway), so the handler
 * attributes NMIs by time alone: the first NMI at or after the expected
 * TSC value on the expected CPU is ours. It reads no device register,
 * takes no lock and allocates nothing; everything that reprograms the
 * channel runs in process context with the channel stopped.
 */

#define pr_fmt(fmt) "NMI watchdog: hpet: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/msi.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/syscore_ops.h>
#include <kunit/visibility.h>

#include <asm/apic.h>
#include <asm/hpet.h>
#include <asm/irq_remapping.h>
#include <asm/nmi.h>
#include <asm/tsc.h>

#include "watchdog_hpet.h"

enum hpet_wdt_mode {
	HPET_WDT_RR,
	HPET_WDT_IPI,
};

static const char * const hpet_wdt_mode_names[] = {
	[HPET_WDT_RR]	= "rr",
	[HPET_WDT_IPI]	= "ipi",
};

/**
 * struct hpet_wdt - State of the detector
 * @chan:	The reserved HPET channel
 * @mode:	rr or ipi
 * @probed:	The channel is reserved and the NMI handler registered
 * @stopped:	Between watchdog_hardlockup_stop() and _start()
 * @running:	The channel is programmed; the NMI handler claims NMIs
 * @inflight:	NMI handlers past the @running check
 * @target:	CPU the channel currently points at
 * @prev:	CPU it pointed at before (may still take a latched NMI)
 * @ticks:	HPET ticks per period
 * @win:	Expected arrival of the next NMI
 * @monitored:	CPUs watched (watchdog_hardlockup_enable() was called)
 * @nr_latched:	NMIs claimed on @prev (delivered after the route moved on)
 * @latched_cpu: CPU that took an NMI a period or more late: the tick raised
 *		meanwhile may follow it there, once
 * @stray_cpu:	CPU the channel pointed at when it was last stopped: an NMI
 *		already on its way there may still arrive
 * @stray_until: TSC until which such an NMI is absorbed
 */
struct hpet_wdt {
	struct hpet_wdt_channel_info	chan;
	enum hpet_wdt_mode		mode;
	bool				probed;
	bool				stopped;
	bool				running;
	atomic_t			inflight;
	unsigned int			target;
	unsigned int			prev;
	u64				ticks;
	struct hpet_wdt_window		win;
	struct cpumask			monitored;
	unsigned int			nr_latched;
	unsigned int			latched_cpu;
	unsigned int			stray_cpu;
	u64				stray_until;
};

static struct hpet_wdt hld = {
	.mode		= HPET_WDT_RR,
	.target		= UINT_MAX,
	.prev		= UINT_MAX,
	.latched_cpu	= UINT_MAX,
	.stray_cpu	= UINT_MAX,
};

/* How long after a stop an NMI still in flight is absorbed: 50 ms. */
#define HPET_WDT_STRAY_MS	50

/* FSB message (data, address) that sends an NMI to each CPU. */
static DEFINE_PER_CPU_READ_MOSTLY(u32, hpet_wdt_data);
static DEFINE_PER_CPU_READ_MOSTLY(u32, hpet_wdt_addr);
/* Remapped entries when interrupt remapping is on. */
static struct irq_remap_hpet_nmi hpet_wdt_ir;
/* Set by the handling CPU before its IPI in ipi mode; see nmi_backtrace. */
static DEFINE_PER_CPU(bool, hpet_wdt_pending);

/**
 * hpet_wdt_period_ticks - HPET ticks between two NMIs
 * @freq:	HPET frequency in Hz
 * @thresh:	watchdog_thresh in seconds
 * @slots:	NMIs per sampling round (monitored CPUs in rr mode, 1 in ipi)
 * @can64:	The channel has a 64-bit comparator
 * @ticks:	Result
 *
 * Each CPU is sampled every HPET_WDT_SAMPLE_NUM / HPET_WDT_SAMPLE_DEN of
 * @thresh seconds (0.225), so one period is
 * @thresh * @freq * 9 / (40 * @slots) ticks. A 32-bit comparator is kept below
 * 2^31 ticks (some HPETs, QEMU's among them, clamp periodic values to 31
 * bits); a 64-bit one takes any period.
 *
 * Return: 0, or -EINVAL for zero arguments, -ERANGE when the period is
 * shorter than HPET_WDT_MIN_PERIOD_US or does not fit the comparator.
 */
int hpet_wdt_period_ticks(unsigned long freq, unsigned int thresh,
			  unsigned int slots, bool can64, u64 *ticks)
{
	u64 t;

	if (!freq || !thresh || !slots)
		return -EINVAL;

	t = div_u64((u64)thresh * freq * HPET_WDT_SAMPLE_NUM,
		    HPET_WDT_SAMPLE_DEN * slots);
	if (t < div_u64((u64)freq * HPET_WDT_MIN_PERIOD_US, USEC_PER_SEC))
		return -ERANGE;
	if (!can64 && t > HPET_WDT_MAX_PERIOD_32)
		return -ERANGE;
	*ticks = t;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_period_ticks);

/**
 * hpet_wdt_ticks_to_tsc - Convert HPET ticks to TSC cycles
 * @ticks:	HPET ticks
 * @freq:	HPET frequency in Hz
 * @khz:	TSC frequency in kHz
 *
 * Return: TSC cycles for @ticks.
 */
u64 hpet_wdt_ticks_to_tsc(u64 ticks, unsigned long freq, unsigned int khz)
{
	return mul_u64_u64_div_u64(ticks, (u64)khz * 1000, freq);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_ticks_to_tsc);

/**
 * hpet_wdt_window_init - Start expecting NMIs
 * @w:		Window
 * @first:	TSC value at which the first NMI is due
 * @period:	TSC cycles between NMIs
 *
 * The early side is 1/32 of a period: delivery can lag the HPET by
 * milliseconds in a VM but never precedes it, so only the TSC/HPET rate
 * error needs room on that side.
 */
void hpet_wdt_window_init(struct hpet_wdt_window *w, u64 first, u64 period)
{
	w->expected = first;
	w->period = period;
	w->early = period / 32;
	w->min_late = U64_MAX;
	w->last_late = 0;
	w->batch = 0;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_init);

/**
 * hpet_wdt_window_claim - Decide whether an NMI seen at @now is ours
 * @w:		Window
 * @now:	TSC value read in the NMI handler
 *
 * The first NMI at or after @w->expected - @w->early is ours; the
 * expectation then moves one period on, so a second NMI in the same period
 * is not. An NMI less than two periods late still counts against the
 * next tick only (a delayed NMI can be followed at once by the next one,
 * already latched). Later than that, NMIs were blocked or merged and the
 * expectation resynchronises on the tick grid. An early NMI pulls the
 * grid back to itself; the smallest lateness of each batch of claims is
 * halved off the grid. Both correct TSC/HPET rate drift.
 *
 * Return: true when the NMI is the channel's; @w then expects the next.
 */
bool hpet_wdt_window_claim(struct hpet_wdt_window *w, u64 now)
{
	s64 late = (s64)(now - w->expected);
	u64 rem;

	if (late < -(s64)w->early)
		return false;

	w->last_late = late > 0 ? late : 0;
	if (late < 0) {
		w->expected = now;
		late = 0;
	} else if ((u64)late >= 2 * w->period) {
		div64_u64_rem(late, w->period, &rem);
		w->expected = now - rem;
		late = rem;
	}
	w->expected += w->period;

	if ((u64)late < w->min_late)
		w->min_late = late;
	if (++w->batch == HPET_WDT_BATCH) {
		if (w->min_late < w->period)
			w->expected += w->min_late / 2;
		w->min_late = U64_MAX;
		w->batch = 0;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_claim);

/**
 * hpet_wdt_window_was_late - Could another tick be latched behind the last?
 * @w:		Window
 *
 * When the last claimed NMI came a period or more late, the next tick was
 * raised while that NMI was still pending or being handled; both went to
 * the same CPU and may arrive one after the other.
 *
 * Return: true when the last claim was at least a period late.
 */
bool hpet_wdt_window_was_late(const struct hpet_wdt_window *w)
{
	return w->last_late + w->early >= w->period;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_was_late);

/**
 * hpet_wdt_next_cpu - Next CPU of @mask after @cpu, wrapping around
 * @cpu:	Current CPU (need not be in @mask)
 * @mask:	Monitored CPUs
 *
 * Return: the next CPU, @cpu itself when it is the only one, or nr_cpu_ids
 * when @mask is empty.
 */
unsigned int hpet_wdt_next_cpu(unsigned int cpu, const struct cpumask *mask)
{
	unsigned int next = cpumask_next(cpu, mask);

	if (next >= nr_cpu_ids)
		next = cpumask_first(mask);
	return next;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_next_cpu);

/**
 * hpet_wdt_compose_msg - FSB message for an NMI to one CPU, no remapping
 * @apicid:	Destination APIC ID (at most 255)
 * @data:	FSB_INT_VAL: NMI delivery mode, edge; the vector is ignored
 * @addr:	FSB_INT_ADDR: physical destination, no redirection hint
 */
void hpet_wdt_compose_msg(u32 apicid, u32 *data, u32 *addr)
{
	struct x86_msi_data d = { .delivery_mode = APIC_DELIVERY_MODE_NMI };
	struct x86_msi_addr_lo a = {
		.base_address	= X86_MSI_BASE_ADDRESS_LOW,
		.destid_0_7	= apicid & 0xff,
	};

	memcpy(data, &d, sizeof(*data));
	memcpy(addr, &a, sizeof(*addr));
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_compose_msg);

/*
 * Point the channel at @cpu. Without remapping only the address changes,
 * with remapping only the data (the subhandle); a message half old, half
 * new between the two writes is therefore still one of the two targets.
 */
static inline void hpet_wdt_route(unsigned int cpu)
{
	hpet_writel(per_cpu(hpet_wdt_data, cpu), HPET_Tn_ROUTE(hld.chan.num));
	hpet_writel(per_cpu(hpet_wdt_addr, cpu), HPET_Tn_ROUTE(hld.chan.num) + 4);
}

static void hpet_wdt_check(unsigned int cpu, struct pt_regs *regs)
{
	if (cpumask_test_cpu(cpu, &hld.monitored))
		watchdog_hardlockup_check(cpu, regs);
}

/* ipi mode: every other online CPU checks itself in this round. */
static void hpet_wdt_fan_out(unsigned int self)
{
	unsigned int cpu;

	if (num_online_cpus() < 2)
		return;
	for_each_online_cpu(cpu)
		if (cpu != self)
			per_cpu(hpet_wdt_pending, cpu) = true;
	/* Pairs with the this_cpu_xchg() of the receivers. */
	smp_wmb();
	/* One ICR write; no destination mask that an NMI could corrupt. */
	__apic_send_IPI_allbutself(NMI_VECTOR);
}

static int hpet_wdt_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	unsigned int target, prev;
	int ret = NMI_DONE;
	u64 now;

	if (hld.mode == HPET_WDT_IPI && this_cpu_xchg(hpet_wdt_pending, false)) {
		hpet_wdt_check(cpu, regs);
		ret = NMI_HANDLED;
	}

	atomic_inc(&hld.inflight);
	/* Pairs with the smp_mb() in hpet_wdt_quiesce(). */
	smp_mb__after_atomic();

	target = READ_ONCE(hld.target);
	prev = READ_ONCE(hld.prev);
	now = rdtsc();
	if ((cpu != target && cpu != prev) ||
	    !hpet_wdt_window_claim(&hld.win, now)) {
		/* The tick raised while a late NMI was pending: absorb once. */
		if (cpu == READ_ONCE(hld.latched_cpu) &&
		    cmpxchg(&hld.latched_cpu, cpu, UINT_MAX) == cpu) {
			ret = NMI_HANDLED;
			goto out;
		}
		/* Sent before the last stop, delivered after it: absorb once. */
		if (cpu == READ_ONCE(hld.stray_cpu) &&
		    (s64)(now - READ_ONCE(hld.stray_until)) < 0 &&
		    cmpxchg(&hld.stray_cpu, cpu, UINT_MAX) == cpu)
			ret = NMI_HANDLED;
		goto out;
	}
	ret = NMI_HANDLED;
	WRITE_ONCE(hld.latched_cpu,
		   hpet_wdt_window_was_late(&hld.win) ? cpu : UINT_MAX);

	/* An NMI latched before the channel stopped: absorb it. */
	if (!READ_ONCE(hld.running))
		goto out;

	hpet_wdt_check(cpu, regs);
	if (cpu != target) {
		hld.nr_latched++;
		goto out;
	}

	if (hld.mode == HPET_WDT_IPI) {
		hpet_wdt_fan_out(cpu);
	} else {
		unsigned int next = hpet_wdt_next_cpu(cpu, &hld.monitored);

		if (next < nr_cpu_ids && next != cpu) {
			WRITE_ONCE(hld.prev, cpu);
			WRITE_ONCE(hld.target, next);
			hpet_wdt_route(next);
		}
	}
out:
	atomic_dec(&hld.inflight);
	return ret;
}

/* Stop the channel and wait until no NMI handler can still retarget it. */
static void hpet_wdt_quiesce(void)
{
	unsigned int n = hld.chan.num;
	bool was_running = hld.running;

	hpet_writel(hpet_readl(HPET_Tn_CFG(n)) & ~HPET_TN_ENABLE, HPET_Tn_CFG(n));
	WRITE_ONCE(hld.running, false);
	/* Pairs with smp_mb__after_atomic() in the handler: either it sees
	 * running == false, or we see its inflight count.
	 */
	smp_mb();
	while (atomic_read(&hld.inflight))
		cpu_relax();

	if (was_running) {
		hld.stray_until = rdtsc() + (u64)tsc_khz * HPET_WDT_STRAY_MS;
		WRITE_ONCE(hld.stray_cpu, hld.target);
	}
	/* Stopped: no CPU expects the channel's NMI (beyond the stray one). */
	WRITE_ONCE(hld.target, UINT_MAX);
	WRITE_ONCE(hld.prev, UINT_MAX);
	WRITE_ONCE(hld.latched_cpu, UINT_MAX);
}

/* Main counter, all 64 bits when the comparator is 64-bit. */
static u64 hpet_wdt_counter(bool wide)
{
	u32 hi, lo;

	if (!wide)
		return hpet_readl(HPET_COUNTER);
	do {
		hi = hpet_readl(HPET_COUNTER + 4);
		lo = hpet_readl(HPET_COUNTER);
	} while (hi != hpet_readl(HPET_COUNTER + 4));
	return ((u64)hi << 32) | lo;
}

/*
 * Program the channel from the monitored mask and watchdog_thresh. The
 * channel is stopped and no handler runs (hpet_wdt_quiesce()).
 */
static void hpet_wdt_program(void)
{
	unsigned int n = hld.chan.num, slots, first;
	bool can64 = hld.chan.caps & HPET_TN_64BIT_CAP;
	u64 ticks, cmp;
	u32 cfg;
	int ret;

	if (hld.stopped || !hld.probed || cpumask_empty(&hld.monitored) ||
	    !watchdog_thresh)
		return;

	slots = hld.mode == HPET_WDT_RR ? cpumask_weight(&hld.monitored) : 1;
	ret = hpet_wdt_period_ticks(hld.chan.freq, watchdog_thresh, slots,
				    can64, &ticks);
	if (ret) {
		pr_warn("cannot program the period for %us over %u CPUs on channel %u (%d), not started\n",
			watchdog_thresh, slots, n, ret);
		return;
	}

	first = cpumask_first(&hld.monitored);
	hld.ticks = ticks;
	hld.target = first;
	hld.prev = first;

	cfg = hpet_readl(HPET_Tn_CFG(n));
	cfg &= ~(HPET_TN_ENABLE | HPET_TN_LEVEL | HPET_TN_ROUTE | HPET_TN_32BIT);
	cfg |= HPET_TN_FSB | HPET_TN_PERIODIC | HPET_TN_SETVAL;
	if (ticks <= HPET_WDT_MAX_PERIOD_32)
		cfg |= HPET_TN_32BIT;
	hpet_writel(cfg, HPET_Tn_CFG(n));
	hpet_wdt_route(first);

	/*
	 * Same sequence as hpet_clkevt_set_state_periodic(): with SETVAL the
	 * first comparator write sets the next expiry, the second the period.
	 */
	cmp = hpet_wdt_counter(!(cfg & HPET_TN_32BIT)) + ticks;
	hpet_wdt_window_init(&hld.win, rdtsc() +
			     hpet_wdt_ticks_to_tsc(ticks, hld.chan.freq, tsc_khz),
			     hpet_wdt_ticks_to_tsc(ticks, hld.chan.freq, tsc_khz));
	hpet_writel(lower_32_bits(cmp), HPET_Tn_CMP(n));
	if (!(cfg & HPET_TN_32BIT))
		hpet_writel(upper_32_bits(cmp), HPET_Tn_CMP(n) + 4);
	udelay(1);
	hpet_writel(lower_32_bits(ticks), HPET_Tn_CMP(n));
	if (!(cfg & HPET_TN_32BIT))
		hpet_writel(upper_32_bits(ticks), HPET_Tn_CMP(n) + 4);

	WRITE_ONCE(hld.running, true);
	/* Handlers see running and the window before the first NMI. */
	smp_mb();
	hpet_writel(cfg | HPET_TN_ENABLE, HPET_Tn_CFG(n));
}

static void hpet_wdt_reprogram(void)
{
	hpet_wdt_quiesce();
	hpet_wdt_program();
}

static void hpet_wdt_enable(unsigned int cpu)
{
	/* Its hrtimer may not have run yet: no report before it could. */
	watchdog_hardlockup_touch_cpu(cpu);
	cpumask_set_cpu(cpu, &hld.monitored);
	hpet_wdt_reprogram();
}

static void hpet_wdt_disable(unsigned int cpu)
{
	cpumask_clear_cpu(cpu, &hld.monitored);
	hpet_wdt_reprogram();
}

static void hpet_wdt_stop(void)
{
	hld.stopped = true;
	hpet_wdt_quiesce();
}

static void hpet_wdt_start(void)
{
	hld.stopped = false;
	hpet_wdt_reprogram();
}

static int hpet_wdt_describe(char *buf, size_t size)
{
	return scnprintf(buf, size, " channel=%u mode=%s cpus=%*pbl latched=%u",
			 hld.chan.num, hpet_wdt_mode_names[hld.mode],
			 cpumask_pr_args(&hld.monitored), hld.nr_latched);
}

static int hpet_wdt_suspend(void *data)
{
	hpet_wdt_quiesce();
	return 0;
}

static void hpet_wdt_resume(void *data)
{
	hpet_wdt_program();
}

static const struct syscore_ops hpet_wdt_syscore_ops = {
	.suspend	= hpet_wdt_suspend,
	.resume		= hpet_wdt_resume,
};

static struct syscore hpet_wdt_syscore = {
	.ops		= &hpet_wdt_syscore_ops,
};

/*
 * Another detector replaced this one for good (the TSC became unstable):
 * give back the NMI handler, the remapping entries and the channel. Runs
 * in process context with the channel stopped on every CPU.
 */
static void hpet_wdt_release(void)
{
	if (!hld.probed)
		return;
	hpet_wdt_quiesce();
	WRITE_ONCE(hld.probed, false);
	unregister_syscore(&hpet_wdt_syscore);
	/* Waits for NMI handlers, stray NMIs included, to finish. */
	unregister_nmi_handler(NMI_LOCAL, "hpet_wdt");
	irq_remapping_free_hpet_nmi(&hpet_wdt_ir);
	hpet_release_nmi_watchdog_channel(hld.chan.num);
	pr_info("released channel %u\n", hld.chan.num);
}

/**
 * hpet_nmi_watchdog_tsc_unstable - The TSC can no longer attribute NMIs
 *
 * Called when the TSC is marked unstable. Attribution by TSC window stops
 * being trustworthy, so the buddy detector takes over from process
 * context; until then the channel keeps running unchanged.
 */
void hpet_nmi_watchdog_tsc_unstable(void)
{
	if (!READ_ONCE(hld.probed))
		return;
	if (!watchdog_hardlockup_fall_back("TSC marked unstable"))
		pr_warn("TSC marked unstable, NMI attribution may fail\n");
}

static int __init hpet_wdt_mode_setup(char *str)
{
	int i = match_string(hpet_wdt_mode_names,
			     ARRAY_SIZE(hpet_wdt_mode_names), str);

	if (i < 0)
		pr_warn("unknown mode '%s' in hpet_nmi_watchdog=, using %s\n",
			str, hpet_wdt_mode_names[hld.mode]);
	else
		hld.mode = i;
	return 1;
}
__setup("hpet_nmi_watchdog=", hpet_wdt_mode_setup);

/* Without remapping every possible CPU needs an 8-bit physical APIC ID. */
static int __init hpet_wdt_prepare_messages(void)
{
	unsigned int cpu;
	u32 apicid;

	for_each_possible_cpu(cpu) {
		apicid = per_cpu(x86_cpu_to_apicid, cpu);
		if (apicid > 0xff) {
			pr_info("not used: CPU%u has APIC ID %u, beyond compatibility-format MSIs\n",
				cpu, apicid);
			return -ERANGE;
		}
		hpet_wdt_compose_msg(apicid, per_cpu_ptr(&hpet_wdt_data, cpu),
				     per_cpu_ptr(&hpet_wdt_addr, cpu));
	}
	return 0;
}

/*
 * With remapping, the IR driver reserves one entry per possible CPU (NMI,
 * physical destination, HPET source-id) and hands back the messages. The
 * entries never change afterwards: hotplug and cpumask changes only pick
 * other prepared messages.
 */
static int __init hpet_wdt_prepare_remapped(void)
{
	unsigned int cpu, nr = nr_cpu_ids;
	u32 *apicids, *data, *addr;
	int ret = -ENOMEM;

	apicids = kcalloc(nr, sizeof(*apicids), GFP_KERNEL);
	data = kcalloc(nr, sizeof(*data), GFP_KERNEL);
	addr = kcalloc(nr, sizeof(*addr), GFP_KERNEL);
	if (!apicids || !data || !addr)
		goto out;

	for_each_possible_cpu(cpu)
		apicids[cpu] = per_cpu(x86_cpu_to_apicid, cpu);
	hpet_wdt_ir = (struct irq_remap_hpet_nmi) {
		.nr = nr, .apicids = apicids, .data = data, .addr = addr,
	};
	ret = irq_remapping_alloc_hpet_nmi(hpet_blockid, &hpet_wdt_ir);
	if (ret == -ENOENT)
		pr_info("not used: interrupt remapping is on and HPET %u is not described to the IOMMU\n",
			hpet_blockid);
	else if (ret == -ENODEV)
		pr_info("not used: interrupt remapping is on and its driver cannot remap HPET NMIs\n");
	else if (ret == -ERANGE)
		pr_info("not used: interrupt remapping cannot address every CPU with an NMI\n");
	else if (ret)
		pr_info("not used: no interrupt remapping entries for HPET NMIs (%d)\n", ret);
	if (ret)
		goto out;

	for_each_possible_cpu(cpu) {
		per_cpu(hpet_wdt_data, cpu) = data[cpu];
		per_cpu(hpet_wdt_addr, cpu) = addr[cpu];
	}
	pr_info("%s NMI messages for %u CPUs from the IOMMU driver\n",
		hpet_wdt_ir.remapped ? "remapped" : "unremapped (NMIPass)", nr);
out:
	kfree(apicids);
	kfree(data);
	kfree(addr);
	hpet_wdt_ir.apicids = NULL;
	hpet_wdt_ir.data = NULL;
	hpet_wdt_ir.addr = NULL;
	return ret;
}

static int __init hpet_wdt_probe(void)
{
	int ret;

	if (!boot_cpu_has(X86_FEATURE_TSC) || !tsc_khz || check_tsc_unstable()) {
		pr_info("not used: TSC absent or unstable, HPET NMIs cannot be attributed\n");
		return -ENODEV;
	}
	if (hpet_msi_disable) {
		pr_info("not used: HPET FSB (MSI) delivery is disabled on this system\n");
		return -ENODEV;
	}
	ret = hpet_reserve_nmi_watchdog_channel(&hld.chan);
	if (ret == -ENODEV) {
		pr_info("not used: no HPET\n");
		return ret;
	}
	if (ret) {
		pr_info("not used: no free HPET channel with FSB delivery and periodic mode\n");
		return ret;
	}

	if (irq_remapping_is_enabled())
		ret = hpet_wdt_prepare_remapped();
	else
		ret = hpet_wdt_prepare_messages();
	if (ret) {
		hpet_release_nmi_watchdog_channel(hld.chan.num);
		return ret;
	}

	ret = register_nmi_handler(NMI_LOCAL, hpet_wdt_nmi_handler, 0, "hpet_wdt");
	if (ret) {
		irq_remapping_free_hpet_nmi(&hpet_wdt_ir);
		hpet_release_nmi_watchdog_channel(hld.chan.num);
		return ret;
	}
	register_syscore(&hpet_wdt_syscore);
	WRITE_ONCE(hld.probed, true);

	pr_info("channel %u at %lu Hz, %s mode, %s, TSC window early side 1/32 period\n",
		hld.chan.num, hld.chan.freq, hpet_wdt_mode_names[hld.mode],
		!hpet_wdt_ir.priv ? "compatibility format" :
		hpet_wdt_ir.remapped ? "remapped" : "NMIPass");
	return 0;
}

const struct watchdog_hardlockup_ops arch_hardlockup_ops = {
	.name		= "hpet",
	.opt_in		= true,
	.samples	= 4,
	.probe		= hpet_wdt_probe,
	.enable		= hpet_wdt_enable,
	.disable	= hpet_wdt_disable,
	.start		= hpet_wdt_start,
	.stop		= hpet_wdt_stop,
	.describe	= hpet_wdt_describe,
	.release	= hpet_wdt_release,
};
