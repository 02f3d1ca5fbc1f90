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
 * status, and reading it from the NMI is too slow anyway), so NMIs are
 * attributed by time, and only NMIs that no other source claimed: the
 * handler is an NMI_WATCHDOG one, called after the NMI_LOCAL handlers
 * (perf, nmi_backtrace, kgdb, crash) found nothing of theirs. Of those, the
 * first at or after the expected TSC value on the CPU the channel points
 * at is the channel's tick; only that CPU moves the expectation. A tick
 * lost in a merge with a claimed NMI costs one sample, and the next one
 * resynchronises the grid. It reads no device register, takes no lock and
 * allocates nothing; everything that reprograms the channel runs in
 * process context with the channel stopped.
 */

#define pr_fmt(fmt) "NMI watchdog: hpet: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/msi.h>
#include <linux/nmi.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/syscore_ops.h>
#include <kunit/visibility.h>

#include <asm/apic.h>
#include <asm/hpet.h>
#include <asm/irq_remapping.h>
#include <asm/nmi.h>
#include <asm/tsc.h>

#include "apic/local.h"
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
 * @inflight:	NMI handlers of the target CPU past their first check
 * @attr:	Target CPU and expected arrival of its NMI
 * @routed:	CPU the route register points at (process context, or the
 *		target's handler while counted in @inflight)
 * @ticks:	HPET ticks per period
 * @monitored:	CPUs watched (watchdog_hardlockup_enable() was called)
 * @stray_cpu:	CPU the channel pointed at when it was last stopped: an NMI
 *		already on its way there may still arrive
 * @stray_until: TSC until which such an NMI is absorbed
 * @debugfs:	hpet_nmi_watchdog/ in debugfs
 */
struct hpet_wdt {
	struct hpet_wdt_channel_info	chan;
	enum hpet_wdt_mode		mode;
	bool				probed;
	bool				stopped;
	bool				running;
	atomic_t			inflight;
	struct hpet_wdt_attr		attr;
	unsigned int			routed;
	u64				ticks;
	struct cpumask			monitored;
	unsigned int			stray_cpu;
	u64				stray_until;
	struct dentry			*debugfs;
};

static struct hpet_wdt hld = {
	.mode		= HPET_WDT_RR,
	.attr		= { .target = UINT_MAX, .latched_cpu = UINT_MAX },
	.routed		= UINT_MAX,
	.stray_cpu	= UINT_MAX,
};

/**
 * struct hpet_wdt_cpu_stats - What the NMI handler did on one CPU
 * @checks:	Lockup checks of this CPU (ticks in rr, rounds in ipi)
 * @ticks:	Channel ticks taken on this CPU
 * @latched:	Ticks absorbed behind a late one, without a check
 * @stray:	NMIs absorbed after the channel stopped
 * @early:	Unclaimed NMIs on the target before its window opened
 */
struct hpet_wdt_cpu_stats {
	unsigned long	checks;
	unsigned long	ticks;
	unsigned long	latched;
	unsigned long	stray;
	unsigned long	early;
};

/* Written only by the CPU itself, from its NMI handler. */
static DEFINE_PER_CPU(struct hpet_wdt_cpu_stats, hpet_wdt_stats);

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
 * is not. An NMI that comes a period or more late (NMIs were blocked, or
 * the tick before it was merged into an NMI another handler claimed) is
 * the tick of its own period: the expectation snaps to the tick grid, so
 * a lost tick costs one sample and never leaves the grid behind. An early
 * NMI pulls the grid back to itself; the smallest lateness of each batch
 * of claims is halved off the grid. Both correct TSC/HPET rate drift.
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
	if ((u64)late + w->early >= w->period) {
		/* Lateness against the nearest tick, in [-early, period - early). */
		div64_u64_rem(late + w->early, w->period, &rem);
		late = (s64)rem - (s64)w->early;
		w->expected = now - late;
	}
	if (late < 0) {
		w->expected = now;
		late = 0;
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
NOKPROBE_SYMBOL(hpet_wdt_window_claim);

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
NOKPROBE_SYMBOL(hpet_wdt_window_was_late);

/* One latched tick may follow a late one on the CPU that took it. */
static enum hpet_wdt_verdict hpet_wdt_take_latched(struct hpet_wdt_attr *a,
						   unsigned int cpu)
{
	if (cpu == READ_ONCE(a->latched_cpu) &&
	    cmpxchg(&a->latched_cpu, cpu, UINT_MAX) == cpu)
		return HPET_WDT_LATCHED;
	return HPET_WDT_FOREIGN;
}

NOKPROBE_SYMBOL(hpet_wdt_take_latched);

/**
 * hpet_wdt_attribute - Is an NMI that no other handler claimed the channel's?
 * @a:		Target and window
 * @cpu:	CPU the NMI arrived on
 * @now:	TSC value read in the NMI handler
 *
 * Only the target CPU can take a tick, and only it moves the window, so an
 * NMI on any other CPU never shifts the expectation. A tick that the
 * target took a period or more late may have another one latched behind
 * it on the same CPU (raised before the route moved on): that one is
 * absorbed once, without a sample. The caller hands the target on (rr)
 * with a release store after a tick; the next target reads it first.
 *
 * Return: what the NMI is.
 */
enum hpet_wdt_verdict hpet_wdt_attribute(struct hpet_wdt_attr *a,
					 unsigned int cpu, u64 now)
{
	/* Pairs with the release store that made this CPU the target. */
	if (cpu == smp_load_acquire(&a->target) &&
	    hpet_wdt_window_claim(&a->win, now)) {
		WRITE_ONCE(a->latched_cpu,
			   hpet_wdt_window_was_late(&a->win) ? cpu : UINT_MAX);
		return HPET_WDT_TICK;
	}
	return hpet_wdt_take_latched(a, cpu);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_attribute);
NOKPROBE_SYMBOL(hpet_wdt_attribute);

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
NOKPROBE_SYMBOL(hpet_wdt_next_cpu);

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
static void hpet_wdt_route(unsigned int cpu)
{
	hpet_writel(per_cpu(hpet_wdt_data, cpu), HPET_Tn_ROUTE(hld.chan.num));
	hpet_writel(per_cpu(hpet_wdt_addr, cpu), HPET_Tn_ROUTE(hld.chan.num) + 4);
	WRITE_ONCE(hld.routed, cpu);
}

NOKPROBE_SYMBOL(hpet_wdt_route);

static void hpet_wdt_check(unsigned int cpu, struct pt_regs *regs)
{
	if (cpumask_test_cpu(cpu, &hld.monitored)) {
		this_cpu_inc(hpet_wdt_stats.checks);
		watchdog_hardlockup_check(cpu, regs);
	}
}

NOKPROBE_SYMBOL(hpet_wdt_check);

/*
 * ipi mode: every other CPU that gets the NMI checks itself in this round.
 * With IPI shorthands allowed (the kernel's own policy: all present CPUs
 * booted once, not turned off on the command line) one all-but-self ICR
 * write reaches every online CPU and no destination mask is needed.
 * Otherwise each monitored CPU gets its own NMI, so parked CPUs and CPUs
 * outside the mask get none: x2APIC sends are one MSR write each, and in
 * xAPIC mode the ICR2 destination that an interrupted sender may have
 * written is put back before returning.
 */
static void hpet_wdt_fan_out(unsigned int self)
{
	const struct cpumask *to;
	unsigned int cpu;
	bool shorthand;
	u32 icr2 = 0;

	shorthand = static_branch_likely(&apic_use_ipi_shorthand);
	to = shorthand ? cpu_online_mask : &hld.monitored;
	if (cpumask_weight(to) < 2)
		return;
	for_each_cpu(cpu, to)
		if (cpu != self)
			WRITE_ONCE(per_cpu(hpet_wdt_pending, cpu), true);
	/* Pairs with the xchg() of the receivers. */
	smp_wmb();
	if (shorthand) {
		__apic_send_IPI_allbutself(NMI_VECTOR);
		return;
	}
	if (!x2apic_mode)
		icr2 = apic_read(APIC_ICR2);
	for_each_cpu(cpu, to)
		if (cpu != self)
			__apic_send_IPI(cpu, NMI_VECTOR);
	if (!x2apic_mode)
		apic_write(APIC_ICR2, icr2);
}

NOKPROBE_SYMBOL(hpet_wdt_fan_out);

/* An NMI the window did not take: a latched tick or a stray one, or foreign. */
static int hpet_wdt_absorb(unsigned int cpu, enum hpet_wdt_verdict v)
{
	if (v == HPET_WDT_LATCHED) {
		this_cpu_inc(hpet_wdt_stats.latched);
		return NMI_HANDLED;
	}
	/* Sent before the last stop, delivered after it: absorb once. */
	if (cpu == READ_ONCE(hld.stray_cpu) &&
	    (s64)(rdtsc() - READ_ONCE(hld.stray_until)) < 0 &&
	    cmpxchg(&hld.stray_cpu, cpu, UINT_MAX) == cpu) {
		this_cpu_inc(hpet_wdt_stats.stray);
		return NMI_HANDLED;
	}
	return NMI_DONE;
}

NOKPROBE_SYMBOL(hpet_wdt_absorb);

/*
 * The NMI is on the target CPU. Count ourselves in (hpet_wdt_quiesce()
 * waits for us), check that the channel still runs and still points here,
 * then attribute by time. A tick samples this CPU and, in rr mode, hands
 * the target on before the route moves: a tick raised meanwhile still
 * arrives here and is absorbed as latched.
 */
static int hpet_wdt_target_nmi(unsigned int cpu, struct pt_regs *regs)
{
	enum hpet_wdt_verdict v = HPET_WDT_FOREIGN;
	unsigned int next;
	int ret;

	atomic_inc(&hld.inflight);
	/* Pairs with the smp_mb() in hpet_wdt_quiesce(). */
	smp_mb__after_atomic();
	if (READ_ONCE(hld.running))
		v = hpet_wdt_attribute(&hld.attr, cpu, rdtsc());
	if (v != HPET_WDT_TICK) {
		if (v == HPET_WDT_FOREIGN)
			this_cpu_inc(hpet_wdt_stats.early);
		ret = hpet_wdt_absorb(cpu, v);
		goto out;
	}

	ret = NMI_HANDLED;
	this_cpu_inc(hpet_wdt_stats.ticks);
	hpet_wdt_check(cpu, regs);
	if (hld.mode == HPET_WDT_IPI) {
		hpet_wdt_fan_out(cpu);
		goto out;
	}
	next = hpet_wdt_next_cpu(cpu, &hld.monitored);
	if (next < nr_cpu_ids && next != cpu) {
		/* The window is up to date before the next target reads it. */
		smp_store_release(&hld.attr.target, next);
		hpet_wdt_route(next);
	}
out:
	atomic_dec(&hld.inflight);
	return ret;
}

NOKPROBE_SYMBOL(hpet_wdt_target_nmi);

/*
 * NMI_WATCHDOG handler: runs only for NMIs that no NMI_LOCAL handler
 * claimed. Declining an NMI on a CPU that is neither marked nor targeted
 * costs a few loads: no atomic, no store to a shared line.
 */
static int hpet_wdt_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	/* ipi mode: marked by the handling CPU before its IPI; see nmi_backtrace. */
	if (hld.mode == HPET_WDT_IPI && this_cpu_read(hpet_wdt_pending) &&
	    xchg(this_cpu_ptr(&hpet_wdt_pending), false)) {
		hpet_wdt_check(cpu, regs);
		return NMI_HANDLED;
	}
	if (cpu == READ_ONCE(hld.attr.target))
		return hpet_wdt_target_nmi(cpu, regs);
	if (cpu == READ_ONCE(hld.attr.latched_cpu) || cpu == READ_ONCE(hld.stray_cpu))
		return hpet_wdt_absorb(cpu, hpet_wdt_take_latched(&hld.attr, cpu));
	return NMI_DONE;
}

NOKPROBE_SYMBOL(hpet_wdt_nmi_handler);

/*
 * Stop the channel and wait until no NMI handler can still retarget it.
 * The target is cleared before the wait, so a handler that has not yet
 * counted itself in sees no target once it has; one that had may still
 * have moved the target and the route, which is why both are read and
 * cleared again after the wait.
 */
static void hpet_wdt_quiesce(void)
{
	unsigned int n = hld.chan.num;
	bool was_running = hld.running;

	hpet_writel(hpet_readl(HPET_Tn_CFG(n)) & ~HPET_TN_ENABLE, HPET_Tn_CFG(n));
	WRITE_ONCE(hld.running, false);
	WRITE_ONCE(hld.attr.target, UINT_MAX);
	/* Pairs with smp_mb__after_atomic() in the handler: either it sees
	 * running == false, or we see its inflight count.
	 */
	smp_mb();
	while (atomic_read(&hld.inflight))
		cpu_relax();

	if (was_running) {
		WRITE_ONCE(hld.stray_until, rdtsc() + (u64)tsc_khz * HPET_WDT_STRAY_MS);
		/* stray_until is set before a handler can match stray_cpu. */
		smp_wmb();
		WRITE_ONCE(hld.stray_cpu, hld.routed);
	}
	/* Stopped: no CPU expects the channel's NMI (beyond the stray one). */
	WRITE_ONCE(hld.attr.target, UINT_MAX);
	WRITE_ONCE(hld.attr.latched_cpu, UINT_MAX);
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
	u64 ticks, cmp, tsc_period;
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
	tsc_period = hpet_wdt_ticks_to_tsc(ticks, hld.chan.freq, tsc_khz);
	hpet_wdt_window_init(&hld.attr.win, rdtsc() + tsc_period, tsc_period);
	hpet_writel(lower_32_bits(cmp), HPET_Tn_CMP(n));
	if (!(cfg & HPET_TN_32BIT))
		hpet_writel(upper_32_bits(cmp), HPET_Tn_CMP(n) + 4);
	udelay(1);
	hpet_writel(lower_32_bits(ticks), HPET_Tn_CMP(n));
	if (!(cfg & HPET_TN_32BIT))
		hpet_writel(upper_32_bits(ticks), HPET_Tn_CMP(n) + 4);

	WRITE_ONCE(hld.running, true);
	/* Window and running before the target (hpet_wdt_attribute()). */
	smp_store_release(&hld.attr.target, first);
	/* Handlers see all of it before the first NMI. */
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
	unsigned long latched = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		latched += per_cpu(hpet_wdt_stats.latched, cpu);
	return scnprintf(buf, size, " channel=%u mode=%s cpus=%*pbl latched=%lu",
			 hld.chan.num, hpet_wdt_mode_names[hld.mode],
			 cpumask_pr_args(&hld.monitored), latched);
}

/*
 * debugfs hpet_nmi_watchdog/cpus: one line per possible CPU with what the
 * NMI handler did there, for tests and for checking that every monitored
 * CPU is sampled at its nominal rate (1 / (0.225 * watchdog_thresh)).
 */
static int hpet_wdt_cpus_show(struct seq_file *m, void *v)
{
	struct hpet_wdt_cpu_stats *st;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		st = per_cpu_ptr(&hpet_wdt_stats, cpu);
		seq_printf(m, "cpu%u monitored=%d checks=%lu ticks=%lu latched=%lu stray=%lu early=%lu\n",
			   cpu, cpumask_test_cpu(cpu, &hld.monitored),
			   READ_ONCE(st->checks), READ_ONCE(st->ticks),
			   READ_ONCE(st->latched), READ_ONCE(st->stray),
			   READ_ONCE(st->early));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hpet_wdt_cpus);

static int __init hpet_wdt_debugfs_init(void)
{
	if (!READ_ONCE(hld.probed))
		return 0;
	hld.debugfs = debugfs_create_dir("hpet_nmi_watchdog", NULL);
	debugfs_create_file("cpus", 0444, hld.debugfs, NULL, &hpet_wdt_cpus_fops);
	return 0;
}
late_initcall(hpet_wdt_debugfs_init);

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
	debugfs_remove(hld.debugfs);
	hld.debugfs = NULL;
	/* Waits for NMI handlers, stray NMIs included, to finish. */
	unregister_nmi_handler(NMI_WATCHDOG, "hpet_wdt");
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

	/* After NMI_LOCAL: perf, nmi_backtrace and kgdb keep their NMIs. */
	ret = register_nmi_handler(NMI_WATCHDOG, hpet_wdt_nmi_handler, 0, "hpet_wdt");
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
