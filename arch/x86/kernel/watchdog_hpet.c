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
 * nominally 0.9 * watchdog_thresh without progress, and never before
 * 0.8 * watchdog_thresh on the clock however the checks were spaced (the
 * hrtimer ticks every 0.4 * watchdog_thresh). A check long after the
 * CPU's previous one (the CPU did not run) starts a new count.
 *
 * The HPET cannot tell whether it raised an NMI (edge FSB messages set no
 * status, and reading it from the NMI is too slow anyway), so NMIs are
 * attributed by time, and only NMIs that no other source claimed: the
 * handler is an NMI_WATCHDOG one, called after the NMI_LOCAL handlers
 * (perf, nmi_backtrace, kgdb, crash) found nothing of theirs. Of those, the
 * first at or after the expected TSC value on the CPU the channel points
 * at is the channel's tick; only that CPU moves the expectation. An NMI
 * that arrives while another is pending merges with it, and when that one
 * is claimed, ours is gone; AMD perf even claims every unclaimed NMI
 * for 100 ms after one of its own. So an NMI_LOCAL helper looks at every
 * NMI but claims none by time: a CPU whose ipi-mode IPI merged is sampled
 * on its next NMI, and a tick half a period overdue is taken as lost on
 * the target's next NMI, so the channel moves on (a one-shot comparator
 * is re-armed) even when every CPU is stuck. A lost tick delays one
 * sample by half a period, and the grid stays where it was. It reads no
 * device register, takes no lock and allocates nothing; everything that
 * reprograms the channel runs in process context with the channel
 * stopped.
 */

#define pr_fmt(fmt) "NMI watchdog: hpet: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/math64.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/suspend.h>
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
 * @lock:	Serialises programming in process context (the watchdog
 *		core, CPU hotplug, system sleep)
 * @probed:	The channel is reserved and the NMI handler registered
 * @stopped:	Between watchdog_hardlockup_stop() and _start()
 * @sleeping:	Between the PM notifier's prepare and post events
 * @booting:	Until late_initcall: kernel time may still run on the
 *		jiffies clocksource, which loses ticks on an overcommitted
 *		host, so the hrtimers that show progress can lag the TSC by
 *		seconds; the channel starts only once that is over
 * @running:	The channel is programmed; the NMI handler claims NMIs
 * @inflight:	NMI handlers of the target CPU, and rescues, past their
 *		first check of @running
 * @attr:	Target CPU and expected arrival of its NMI
 * @routed:	CPU the route register points at (process context, or the
 *		target's handler while counted in @inflight)
 * @ticks:	HPET ticks per period
 * @slots:	NMIs per sampling round: monitored CPUs in rr, 1 in ipi
 * @cmp:	One-shot: comparator value the channel waits for. Written by
 *		the target's NMI handler, or by a rescue (cmpxchg()) on any
 *		CPU
 * @win_cmp:	One-shot: comparator value of the tick the window expects.
 *		Written with @cmp by the target's handler; where @cmp has
 *		moved on since (a rescue, a late re-arm), the expectation
 *		follows by the difference (hpet_wdt_cmp_shift())
 * @arm_seq:	Bumped by every NMI re-arm, so a rescue that an NMI
 *		interrupted can tell
 * @win_seq:	One-shot: bumped by the target's handler before and after it
 *		moves the window (odd meanwhile), so that a sync can tell
 *		whether the window and @win_cmp it read belong together
 * @win_fix:	One-shot: a correction a sync measured, (@win_seq << 32) |
 *		signed TSC cycles; the target's next look applies it if the
 *		window has not moved since the measurement
 * @last_sync:	TSC of the last sync (hpet_wdt_sync()); one runs at most
 *		once a second
 * @syncs:	Corrections published by syncs
 * @sync_wanted: A rescue asks for a sync even if the window's ticks were
 *		sampled (set by the rescue, cleared by a sync that measured)
 * @skew_ppm:	Test bed only (debugfs skew_ppm): the window's period is
 *		off by this many ppm, as with a TSC calibration error
 * @last_tick:	TSC of the last tick (target's NMI handler) or rescue
 * @silent_tsc:	TSC cycles without a tick after which the target rescues
 * @margin_tsc:	How far ahead a re-armed expiry must be (1/8 period)
 * @rescues:	Silent channels re-armed
 * @rescuing:	Bit 0: a CPU's hrtimer is re-arming a silent channel
 * @wrap:	One-shot: the interrupt a 32-bit timer also raises when the
 *		counter wraps, before its next expiry (Intel datasheets:
 *		"they generate another interrupt when the main counter
 *		wraps"), on the CPU the channel points at
 * @overdue:	A tick taken as lost (hpet_wdt_nmi_local()) whose
 *		NMI may still come, late, to the CPU that took it
 * @overdue_tsc: TSC cycles past the expected arrival at which a tick
 *		counts as lost (half a period)
 * @sent_tsc:	ipi: TSC when the last round's IPIs were out
 * @gap_tsc:	TSC cycles after which a CPU's previous check is too old to
 *		extend its count (HPET_WDT_GAP_SAMPLES sampling intervals)
 * @monitored:	CPUs watched (watchdog_hardlockup_enable() was called)
 * @stray:	An NMI already on its way to the CPU the channel pointed at
 *		when it was last stopped
 * @debugfs:	hpet_nmi_watchdog/ in debugfs
 */
/**
 * struct hpet_wdt_once - One NMI of the channel's that may still come
 * @cpu:	CPU it comes to, UINT_MAX when none is expected
 * @from:	TSC from which it may come
 * @until:	TSC before which it comes
 *
 * Set in process context or by the target's handler; the first NMI that
 * no other handler claimed on @cpu within [@from, @until) is absorbed.
 */
struct hpet_wdt_once {
	unsigned int	cpu;
	u64		from;
	u64		until;
};

struct hpet_wdt {
	struct hpet_wdt_channel_info	chan;
	enum hpet_wdt_mode		mode;
	struct mutex			lock;	/* programming, process context */
	bool				probed;
	bool				stopped;
	bool				sleeping;
	bool				booting;
	bool				running;
	atomic_t			inflight;
	struct hpet_wdt_attr		attr;
	unsigned int			routed;
	u32				ticks;
	unsigned int			slots;
	u32				cmp;
	u32				win_cmp;
	unsigned int			arm_seq;
	unsigned int			win_seq;
	atomic64_t			win_fix;
	u64				last_sync;
	unsigned long			syncs;
	bool				sync_wanted;
	int				skew_ppm;
	u64				last_tick;
	u64				silent_tsc;
	u64				margin_tsc;
	unsigned long			rescues;
	unsigned long			rescuing;
	struct hpet_wdt_once		wrap;
	struct hpet_wdt_once		overdue;
	u64				overdue_tsc;
	u64				sent_tsc;
	u64				gap_tsc;
	struct cpumask			monitored;
	struct hpet_wdt_once		stray;
	struct dentry			*debugfs;
};

static struct hpet_wdt hld = {
	.mode		= HPET_WDT_RR,
	.lock		= __MUTEX_INITIALIZER(hld.lock),
	.booting	= true,
	.attr		= { .target = UINT_MAX, .latched_cpu = UINT_MAX },
	.routed		= UINT_MAX,
	.stray		= { .cpu = UINT_MAX },
	.wrap		= { .cpu = UINT_MAX },
	.overdue	= { .cpu = UINT_MAX },
};

/**
 * struct hpet_wdt_cpu_stats - What the NMI handler did on one CPU
 * @checks:	Lockup checks of this CPU (ticks in rr, rounds in ipi)
 * @ticks:	Channel ticks taken on this CPU
 * @latched:	Ticks absorbed behind a late one, without a check
 * @stray:	NMIs absorbed after the channel stopped
 * @handoff:	NMIs absorbed after a late hand-off to the next target
 * @wrap:	Counter-wrap interrupts of a 32-bit one-shot channel absorbed
 * @overdue:	Ticks taken as lost, on another source's NMI
 * @overdue_absorbed: NMIs of such ticks that came after all, absorbed
 * @merged:	ipi: rounds whose IPI merged into another handler's NMI or
 *		came late, sampled on this CPU's next NMI
 * @late_rearm:	One-shot re-arms that had to move on by whole periods
 *		because this CPU was held up before the comparator write
 * @early:	Unclaimed NMIs on the target before its window opened
 * @gaps:	Checks that came too long after the previous one and
 *		started a new count
 */
struct hpet_wdt_cpu_stats {
	unsigned long	checks;
	unsigned long	gaps;
	unsigned long	ticks;
	unsigned long	latched;
	unsigned long	stray;
	unsigned long	handoff;
	unsigned long	wrap;
	unsigned long	late_rearm;
	unsigned long	overdue;
	unsigned long	overdue_absorbed;
	unsigned long	merged;
	unsigned long	early;
};

/* Written only by the CPU itself, from its NMI handler. */
static DEFINE_PER_CPU(struct hpet_wdt_cpu_stats, hpet_wdt_stats);
/* TSC of the CPU's last check; written only by the CPU itself, in NMI. */
static DEFINE_PER_CPU(u64, hpet_wdt_last_check);
/*
 * rr, periodic: the CPU handed the target on so late that the next tick
 * may have been raised while the route still pointed here; one NMI before
 * this TSC is then absorbed. Written only by the CPU itself, in NMI.
 */
static DEFINE_PER_CPU(u64, hpet_wdt_handoff_until);

/* How long after a stop an NMI still in flight is absorbed: 50 ms. */
#define HPET_WDT_STRAY_MS	50

/* FSB message (data, address) that sends an NMI to each CPU. */
static DEFINE_PER_CPU_READ_MOSTLY(u32, hpet_wdt_data);
static DEFINE_PER_CPU_READ_MOSTLY(u32, hpet_wdt_addr);
/* Remapped entries when interrupt remapping is on. */
static struct irq_remap_hpet_nmi hpet_wdt_ir;
/* CPUs whose message above is ready: only they are ever targeted. */
static struct cpumask hpet_wdt_routable;
/*
 * ipi mode, per receiving CPU: the handling CPU marks it before its NMI IPI
 * and makes the mark SENT once the IPI is out (at hld.sent_tsc). Only this
 * CPU clears it. The first NMI that nobody else claims takes the mark.
 * One that stays SENT for longer than 1/16 period (the window's early
 * side, hld.attr.win.early) means the IPI merged into an NMI another
 * handler claimed (an NMI arriving while one is pending is not
 * delivered twice), or this CPU did not run meanwhile (a
 * descheduled vCPU) and the NMI at hand is ours. Either way the CPU's
 * next NMI takes the mark in the NMI_LOCAL stage and samples it; the
 * NMI itself is claimed only if no other handler claims it
 * (hpet_wdt_mark_taken). Taking the mark there earlier would race with
 * a source that claimed our IPI for its own NMI still on the way (a perf
 * PMI in flight), which would then come as an unknown NMI.
 */
enum hpet_wdt_pending {
	HPET_WDT_IDLE,
	HPET_WDT_MARKED,
	HPET_WDT_SENT,
};

static DEFINE_PER_CPU(int, hpet_wdt_pending);
/* The NMI_LOCAL stage took a stale mark on the NMI being handled. */
static DEFINE_PER_CPU(bool, hpet_wdt_mark_taken);

/**
 * hpet_wdt_period_ticks - HPET ticks between two NMIs
 * @freq:	HPET frequency in Hz
 * @thresh:	watchdog_thresh in seconds
 * @slots:	NMIs per sampling round (monitored CPUs in rr mode, 1 in ipi)
 * @ticks:	Result
 *
 * Each CPU is sampled every HPET_WDT_SAMPLE_NUM / HPET_WDT_SAMPLE_DEN of
 * @thresh seconds (0.225), so one period is
 * @thresh * @freq * 9 / (40 * @slots) ticks. The comparator runs in 32-bit
 * mode and is kept below 2^31 ticks (some HPETs, QEMU's among them, clamp
 * periodic values to 31 bits): 0.225 * 60 s fits up to 159 MHz.
 *
 * Return: 0, or -EINVAL for zero arguments, -ERANGE when the period is
 * shorter than HPET_WDT_MIN_PERIOD_US or does not fit the comparator.
 */
int hpet_wdt_period_ticks(unsigned long freq, unsigned int thresh,
			  unsigned int slots, u64 *ticks)
{
	u64 t;

	if (!freq || !thresh || !slots)
		return -EINVAL;

	t = div_u64((u64)thresh * freq * HPET_WDT_SAMPLE_NUM,
		    HPET_WDT_SAMPLE_DEN * slots);
	if (t < div_u64((u64)freq * HPET_WDT_MIN_PERIOD_US, USEC_PER_SEC))
		return -ERANGE;
	if (t > HPET_WDT_MAX_PERIOD_32)
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
 * The early side is 1/16 of a period. Delivery never precedes the HPET,
 * but it can lag by milliseconds in a VM, and the expectation follows the
 * smallest recent lag (drift correction), so a tick delivered promptly
 * after a run of late ones looks early by the difference. Only NMIs that
 * no other handler claimed compete for the window.
 */
void hpet_wdt_window_init(struct hpet_wdt_window *w, u64 first, u64 period)
{
	w->expected = first;
	w->period = period;
	w->early = period / 16;
	w->min_late = U64_MAX;
	w->last_late = 0;
	w->batch = 0;
	w->steps = 1;
	w->unsampled = 0;
	w->oneshot = false;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_init);

/* hpet_wdt_window_claim(); @sample: count the lateness for drift and latching. */
static bool hpet_wdt_window_take(struct hpet_wdt_window *w, u64 now,
				 bool sample)
{
	s64 late = (s64)(now - w->expected);
	u64 q, rem;

	if (late < -(s64)w->early)
		return false;

	w->last_late = sample && late > 0 ? late : 0;
	w->steps = 1;
	if (!w->oneshot && (u64)late >= w->period) {
		/* Lateness against the nearest tick, in [-early, period - early). */
		q = div64_u64_rem(late + w->early, w->period, &rem);
		late = (s64)rem - (s64)w->early;
		w->expected = now - late;
		w->steps += q;
	}
	if (late < 0) {
		w->expected = now;
		late = 0;
	}
	w->expected += w->period;

	if (!sample) {
		WRITE_ONCE(w->unsampled, w->unsampled + 1);
		return true;
	}
	WRITE_ONCE(w->unsampled, 0);
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

NOKPROBE_SYMBOL(hpet_wdt_window_take);

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
 * a lost tick costs one sample and never leaves the grid behind. One that
 * comes almost a period late is taken for the late tick it expected, not
 * for the next one early: if it was the next one, the tick after it is
 * then a period late and snaps; the other way round, the next target
 * would wait a period too long and refuse its own tick. A one-shot
 * channel fires once per arming, so however late, the NMI is the tick it
 * was armed for: nothing snaps, and hpet_wdt_window_ahead() moves on. An early
 * NMI pulls the grid back to itself; the smallest lateness of each batch
 * of claims is halved off the grid. Both correct TSC/HPET rate drift.
 * @w->steps says how many periods the expectation moved on.
 *
 * Return: true when the NMI is the channel's; @w then expects the next.
 */
bool hpet_wdt_window_claim(struct hpet_wdt_window *w, u64 now)
{
	return hpet_wdt_window_take(w, now, true);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_claim);
NOKPROBE_SYMBOL(hpet_wdt_window_claim);

/**
 * hpet_wdt_window_claim_lost - Take the expected tick as lost at @now
 * @w:		Window
 * @now:	TSC value of another handler's NMI, half a period or more
 *		after the expected arrival
 *
 * The tick merged into that NMI, or its handler claimed it (AMD perf's
 * late-NMI window). The expectation moves on as for a claim at @now, but
 * when the other NMI came says nothing about when the channel's did:
 * nothing is sampled for the drift correction, which would otherwise
 * move the grid by a quarter period or more per batch of lost ticks and
 * leave it off the comparator's, and no tick is taken as latched behind
 * it (the caller absorbs the lost tick's own NMI, should it still come).
 *
 * Return: true when the expectation moved; false if @now is early for it.
 */
bool hpet_wdt_window_claim_lost(struct hpet_wdt_window *w, u64 now)
{
	return hpet_wdt_window_take(w, now, false);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_claim_lost);
NOKPROBE_SYMBOL(hpet_wdt_window_claim_lost);

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

/**
 * hpet_wdt_window_ahead - Keep a one-shot channel's next expiry ahead of now
 * @w:		Window, just after a claim
 * @now:	TSC value read in the NMI handler
 * @margin:	How far ahead of @now the next expiry must be, in TSC cycles
 *
 * A one-shot comparator is re-armed from the value programmed before, by
 * whole periods so that it stays on the channel's grid. When the NMI came
 * so late that the next expiry would be closer than @margin (or already
 * past), whole periods are skipped; the expectation moves with them.
 *
 * Return: periods to add to the comparator that just fired (@w->steps,
 * including the ones skipped here).
 */
unsigned int hpet_wdt_window_ahead(struct hpet_wdt_window *w, u64 now,
				   u64 margin)
{
	s64 d = (s64)(now + margin - w->expected);
	u64 k;

	if (d > 0) {
		k = div64_u64(d + w->period - 1, w->period);
		w->expected += k * w->period;
		w->steps += k;
	}
	return w->steps;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_window_ahead);
NOKPROBE_SYMBOL(hpet_wdt_window_ahead);

/**
 * hpet_wdt_rescue_cmp - Comparator value that revives a silent channel
 * @counter:	HPET main counter (low 32 bits), read outside NMI context
 * @cmp:	Comparator value the channel waits for
 * @ticks:	Period in ticks
 * @margin:	How far ahead of @counter a new expiry must be, in ticks
 *
 * A 32-bit one-shot comparator written after the counter passed it fires
 * only when the counter wraps (43 s at 100 MHz, 300 s at 14.318 MHz), and
 * a counter that restarted from zero (resume) leaves any comparator far
 * ahead. Up to four periods ahead is a channel that is on its way. A
 * missed expiry is replaced by the next one on the same grid, at least
 * @margin ahead; a comparator far ahead by one period from now.
 *
 * Return: the comparator to program, @cmp when nothing needs to change.
 */
u32 hpet_wdt_rescue_cmp(u32 counter, u32 cmp, u32 ticks, u32 margin)
{
	u32 ahead = cmp - counter, past = counter - cmp, next;

	if (ahead && (u64)ahead <= 4ULL * ticks)
		return cmp;
	if (past < BIT(31)) {
		next = cmp + (past / ticks + 1) * ticks;
		if (next - counter < margin)
			next += ticks;
		return next;
	}
	return counter + ticks;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_rescue_cmp);

/* A signed tick difference @d in TSC cycles: @d * @mul / @div. */
static s64 hpet_wdt_scale_ticks(s32 d, u64 mul, u64 div)
{
	u64 t = mul_u64_u64_div_u64(d < 0 ? -(s64)d : d, mul, div);

	return d < 0 ? -(s64)t : (s64)t;
}

NOKPROBE_SYMBOL(hpet_wdt_scale_ticks);

/**
 * hpet_wdt_cmp_shift - How far the comparator moved from the window's tick
 * @cmp:	Comparator value the channel waits for now
 * @win_cmp:	Comparator value of the tick the window expects
 * @ticks:	Period in ticks
 * @period:	Period in TSC cycles
 *
 * A rescue (outside NMI context) and a late re-arm write only the
 * comparator; the window, which only the target's NMI handler moves, is
 * brought along on the next look from the comparator itself, so no count
 * of moved periods has to be kept in step with it by a second write that
 * an NMI could fall between. Off the grid (a rescue after the counter
 * restarted) and backwards are both possible.
 *
 * Return: TSC cycles to add to the window's expectation.
 */
s64 hpet_wdt_cmp_shift(u32 cmp, u32 win_cmp, u32 ticks, u64 period)
{
	if (!ticks)
		return 0;
	return hpet_wdt_scale_ticks((s32)(cmp - win_cmp), period, ticks);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_cmp_shift);
NOKPROBE_SYMBOL(hpet_wdt_cmp_shift);

/**
 * hpet_wdt_grid_error - How far the window is off the comparator's grid
 * @expected:	The window's expected arrival (TSC) of the tick of @win_cmp
 * @win_cmp:	Comparator value of that tick
 * @counter:	HPET main counter (low 32 bits), read at @tsc
 * @tsc:	TSC value when @counter was read
 * @freq:	HPET frequency in Hz
 * @khz:	TSC frequency in kHz
 *
 * @win_cmp may be up to 2^31 ticks either side of @counter, across the
 * 32-bit wrap.
 *
 * Return: TSC cycles by which @expected is after the real expiry of
 * @win_cmp (negative: before it).
 */
s64 hpet_wdt_grid_error(u64 expected, u32 win_cmp, u32 counter, u64 tsc,
			unsigned long freq, unsigned int khz)
{
	return (s64)(expected - tsc) -
	       hpet_wdt_scale_ticks((s32)(win_cmp - counter), (u64)khz * 1000, freq);
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_grid_error);

/* One-shot: the window's expectation with the comparator's moves since. */
static u64 hpet_wdt_expected(void)
{
	u64 e = READ_ONCE(hld.attr.win.expected);

	if (!hld.attr.win.oneshot)
		return e;
	return e + hpet_wdt_cmp_shift(READ_ONCE(hld.cmp), READ_ONCE(hld.win_cmp),
				      hld.ticks, hld.attr.win.period);
}

NOKPROBE_SYMBOL(hpet_wdt_expected);

/*
 * One-shot, on the target: a rescue or a late re-arm moved the comparator
 * since the window's tick; move the window with it before attributing, so
 * that the NMI of the new comparator is on time, not late (or early).
 * Return: the comparator value followed.
 */
static u32 hpet_wdt_follow_cmp(void)
{
	u32 cmp = READ_ONCE(hld.cmp);
	s64 fix = 0;

	/* A sync's correction, if it was measured on the window as it is. */
	if (atomic64_read(&hld.win_fix))
		fix = atomic64_xchg(&hld.win_fix, 0);
	if (fix && (u32)((u64)fix >> 32) == (hld.win_seq & ~1U))
		hld.attr.win.expected += (s32)fix;
	hld.attr.win.expected += hpet_wdt_cmp_shift(cmp, hld.win_cmp, hld.ticks,
						    hld.attr.win.period);
	WRITE_ONCE(hld.win_cmp, cmp);
	return cmp;
}

NOKPROBE_SYMBOL(hpet_wdt_follow_cmp);

/*
 * The target's handler moves the window between these two: win_seq is odd
 * meanwhile, and a sync that overlapped discards its look (hpet_wdt_sync()).
 */
static void hpet_wdt_win_open(void)
{
	WRITE_ONCE(hld.win_seq, hld.win_seq + 1);
	/* The bump before the window's stores. */
	smp_wmb();
}

NOKPROBE_SYMBOL(hpet_wdt_win_open);

static void hpet_wdt_win_close(void)
{
	/* The window's stores before the bump. */
	smp_wmb();
	WRITE_ONCE(hld.win_seq, hld.win_seq + 1);
}

NOKPROBE_SYMBOL(hpet_wdt_win_close);

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
 * @lost:	The NMI is another handler's, and the tick it found overdue
 *		is taken as lost (hpet_wdt_window_claim_lost())
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
					 unsigned int cpu, u64 now, bool lost)
{
	/* Pairs with the release store that made this CPU the target. */
	if (cpu == smp_load_acquire(&a->target) &&
	    hpet_wdt_window_take(&a->win, now, !lost)) {
		WRITE_ONCE(a->latched_cpu,
			   !a->win.oneshot && hpet_wdt_window_was_late(&a->win) ?
			   cpu : UINT_MAX);
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
 * @apicid:	Destination APIC ID (at most 254)
 * @data:	FSB_INT_VAL: NMI delivery mode, edge; the vector is ignored
 * @addr:	FSB_INT_ADDR: physical destination, no redirection hint
 *
 * Return: 0, or -ERANGE when the compatibility format cannot address
 * @apicid: above 255, or 255, which is the broadcast destination.
 */
int hpet_wdt_compose_msg(u32 apicid, u32 *data, u32 *addr)
{
	struct x86_msi_data d = { .delivery_mode = APIC_DELIVERY_MODE_NMI };
	struct x86_msi_addr_lo a = {
		.base_address	= X86_MSI_BASE_ADDRESS_LOW,
		.destid_0_7	= apicid & 0xff,
	};

	if (apicid >= 0xff)
		return -ERANGE;
	memcpy(data, &d, sizeof(*data));
	memcpy(addr, &a, sizeof(*addr));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(hpet_wdt_compose_msg);

/*
 * Point the channel at @cpu. Without remapping only the address changes,
 * with remapping only the data (the subhandle); a message half old, half
 * new between the two writes is therefore still one of the two targets.
 */
static void hpet_wdt_route(unsigned int cpu)
{
	hpet_nmi_watchdog_route(hld.chan.num, per_cpu(hpet_wdt_data, cpu),
				per_cpu(hpet_wdt_addr, cpu));
	WRITE_ONCE(hld.routed, cpu);
}

NOKPROBE_SYMBOL(hpet_wdt_route);

/*
 * Sample this CPU. The detector counts wall time, so a CPU that simply did
 * not run - a vCPU the host descheduled, a CPU parked with NMIs blocked -
 * must not look stuck: when its previous check is more than
 * HPET_WDT_GAP_SAMPLES sampling intervals old, the check starts a new
 * count instead of extending the old one (its hrtimer may be pending right
 * behind this NMI). A CPU that is really stuck takes every NMI on time, so
 * this never delays a report; the generic time floor (stale_pct) covers
 * checks that come too close together.
 */
static void hpet_wdt_check(unsigned int cpu, struct pt_regs *regs)
{
	u64 now, last;

	if (!cpumask_test_cpu(cpu, &hld.monitored))
		return;
	now = rdtsc();
	last = this_cpu_read(hpet_wdt_last_check);
	this_cpu_write(hpet_wdt_last_check, now);
	if (now - last > READ_ONCE(hld.gap_tsc)) {
		this_cpu_inc(hpet_wdt_stats.gaps);
		watchdog_hardlockup_touch_cpu(cpu);
	}
	this_cpu_inc(hpet_wdt_stats.checks);
	watchdog_hardlockup_check(cpu, regs);
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
			WRITE_ONCE(per_cpu(hpet_wdt_pending, cpu), HPET_WDT_MARKED);
	/* Pairs with the xchg() of the receivers. */
	smp_wmb();
	if (shorthand) {
		__apic_send_IPI_allbutself(NMI_VECTOR);
	} else {
		if (!x2apic_mode)
			icr2 = apic_read(APIC_ICR2);
		for_each_cpu(cpu, to)
			if (cpu != self)
				__apic_send_IPI(cpu, NMI_VECTOR);
		if (!x2apic_mode)
			apic_write(APIC_ICR2, icr2);
	}
	WRITE_ONCE(hld.sent_tsc, rdtsc());
	/* Out: a receiver that took its NMI meanwhile keeps IDLE. */
	for_each_cpu(cpu, to)
		if (cpu != self)
			cmpxchg(per_cpu_ptr(&hpet_wdt_pending, cpu),
				HPET_WDT_MARKED, HPET_WDT_SENT);
}

NOKPROBE_SYMBOL(hpet_wdt_fan_out);

static void hpet_wdt_expect_once(struct hpet_wdt_once *o, unsigned int cpu,
				 u64 from, u64 until)
{
	WRITE_ONCE(o->from, from);
	WRITE_ONCE(o->until, until);
	/* The window is set before a handler can match the CPU. */
	smp_wmb();
	WRITE_ONCE(o->cpu, cpu);
}

NOKPROBE_SYMBOL(hpet_wdt_expect_once);

static bool hpet_wdt_take_once(struct hpet_wdt_once *o, unsigned int cpu)
{
	u64 now;

	if (cpu != READ_ONCE(o->cpu))
		return false;
	now = rdtsc();
	return (s64)(now - READ_ONCE(o->from)) >= 0 &&
	       (s64)(now - READ_ONCE(o->until)) < 0 &&
	       cmpxchg(&o->cpu, cpu, UINT_MAX) == cpu;
}

NOKPROBE_SYMBOL(hpet_wdt_take_once);

/* An NMI the window did not take: a latched tick or a stray one, or foreign. */
static int hpet_wdt_absorb(unsigned int cpu, enum hpet_wdt_verdict v)
{
	u64 until;

	if (v == HPET_WDT_LATCHED) {
		this_cpu_inc(hpet_wdt_stats.latched);
		return NMI_HANDLED;
	}
	/* A tick taken as lost came after all: absorb once. */
	if (hpet_wdt_take_once(&hld.overdue, cpu)) {
		this_cpu_inc(hpet_wdt_stats.overdue_absorbed);
		return NMI_HANDLED;
	}
	/* The counter wrapped under a 32-bit one-shot channel: absorb once. */
	if (hpet_wdt_take_once(&hld.wrap, cpu)) {
		this_cpu_inc(hpet_wdt_stats.wrap);
		return NMI_HANDLED;
	}
	/* Raised while a late hand-off still pointed here: absorb once. */
	until = this_cpu_read(hpet_wdt_handoff_until);
	if (until) {
		this_cpu_write(hpet_wdt_handoff_until, 0);
		if ((s64)(rdtsc() - until) < 0) {
			this_cpu_inc(hpet_wdt_stats.handoff);
			return NMI_HANDLED;
		}
	}
	/* Sent before the last stop, delivered after it: absorb once. */
	if (hpet_wdt_take_once(&hld.stray, cpu)) {
		this_cpu_inc(hpet_wdt_stats.stray);
		return NMI_HANDLED;
	}
	return NMI_DONE;
}

NOKPROBE_SYMBOL(hpet_wdt_absorb);

/*
 * A 32-bit one-shot timer armed for @cmp across the counter's wrap also
 * interrupts at the wrap, @cmp ticks before its expiry at @due (TSC):
 * expected from 1/8 period before to half a period after.
 */
static void hpet_wdt_expect_wrap(unsigned int cpu, u32 cmp, u64 due)
{
	u64 p = hld.attr.win.period;
	u64 wrap = due - mul_u64_u32_div(p, cmp, hld.ticks);

	hpet_wdt_expect_once(&hld.wrap, cpu, wrap - p / 8 + 1, wrap + p / 2);
}

NOKPROBE_SYMBOL(hpet_wdt_expect_wrap);

/*
 * Write the one-shot comparator for the expiry due at @due (TSC), routed to
 * @to. This CPU may have been held up since the handler read the TSC (a
 * descheduled vCPU, an SMI): a comparator written after the counter passed
 * it stays silent until the 32-bit wrap, and when every CPU is stuck no
 * hrtimer is left to rescue it. So check the TSC again right before the
 * write and move on by whole periods if needed; the next target's window
 * follows from the comparator, as after a rescue.
 */
static void hpet_wdt_rearm(unsigned int to, u32 old, u32 cmp, u64 due)
{
	u64 p = hld.attr.win.period;
	s64 d = (s64)(rdtsc() + hld.margin_tsc - due);
	u32 k;

	if (d > 0) {
		k = div64_u64(d + p - 1, p);
		cmp += k * hld.ticks;
		due += (u64)k * p;
		/* win_cmp stays: the next tick's window follows from @cmp. */
		WRITE_ONCE(hld.cmp, cmp);
		WRITE_ONCE(hld.arm_seq, hld.arm_seq + 1);
		this_cpu_inc(hpet_wdt_stats.late_rearm);
	}
	/* The counter wraps before @cmp: that interrupt goes to @to. */
	if (cmp < old)
		hpet_wdt_expect_wrap(to, cmp, due);
	hpet_nmi_watchdog_rearm(hld.chan.num, cmp);
}

NOKPROBE_SYMBOL(hpet_wdt_rearm);

/*
 * The NMI is on the target CPU. Count ourselves in (hpet_wdt_quiesce()
 * waits for us), check that the channel still runs and still points here,
 * then attribute by time. On a tick the channel is handed on first - the
 * next target (rr), the re-armed comparator (one-shot) - and only then is
 * this CPU checked: a lockup report printed from here can take long, and
 * the other CPUs keep being sampled meanwhile. A periodic tick raised
 * before the route moved still arrives here and is absorbed as latched.
 * @overdue: another source's NMI found the tick half a period
 * late; it is taken as lost (the NMI itself is left to its owner) and its
 * own NMI, should it come after all, is absorbed once.
 */
static int hpet_wdt_target_nmi(unsigned int cpu, struct pt_regs *regs,
			       bool overdue)
{
	enum hpet_wdt_verdict v = HPET_WDT_FOREIGN;
	unsigned int next = cpu, steps;
	u64 now = rdtsc(), due;
	u32 cmp = 0, old = 0;
	bool writing = false;
	int ret;

	atomic_inc(&hld.inflight);
	/* Pairs with the smp_mb() in hpet_wdt_quiesce(). */
	smp_mb__after_atomic();
	if (READ_ONCE(hld.running)) {
		/*
		 * Only the target moves the window: first to the comparator.
		 * Pairs with the release store that made this CPU the target.
		 */
		if (hld.attr.win.oneshot && cpu == smp_load_acquire(&hld.attr.target)) {
			hpet_wdt_win_open();
			writing = true;
			old = hpet_wdt_follow_cmp();
		}
		v = hpet_wdt_attribute(&hld.attr, cpu, now, overdue);
	}
	if (v != HPET_WDT_TICK) {
		if (writing)
			hpet_wdt_win_close();
		/* Another handler's NMI: nothing to absorb in it. */
		ret = overdue ? NMI_DONE : hpet_wdt_absorb(cpu, v);
		if (ret == NMI_DONE && !overdue)
			this_cpu_inc(hpet_wdt_stats.early);
		goto out;
	}

	ret = overdue ? NMI_DONE : NMI_HANDLED;
	this_cpu_inc(hpet_wdt_stats.ticks);
	WRITE_ONCE(hld.last_tick, now);
	if (hld.mode == HPET_WDT_RR)
		next = hpet_wdt_next_cpu(cpu, &hld.monitored);
	if (hld.attr.win.oneshot) {
		steps = hpet_wdt_window_ahead(&hld.attr.win, now, hld.margin_tsc);
		cmp = old + steps * hld.ticks;
		WRITE_ONCE(hld.win_cmp, cmp);
		/* A rescue that read @old fails its cmpxchg(), or sees the bump. */
		WRITE_ONCE(hld.cmp, cmp);
		WRITE_ONCE(hld.arm_seq, hld.arm_seq + 1);
		if (writing)
			hpet_wdt_win_close();
	}
	due = hld.attr.win.expected;
	if (overdue) {
		/*
		 * If the tick was only late (a vCPU held up for half a
		 * period), its NMI still comes here. In rr nothing else does
		 * until this CPU's next turn; in ipi the next tick does.
		 */
		this_cpu_inc(hpet_wdt_stats.overdue);
		hpet_wdt_expect_once(&hld.overdue, cpu, now,
				     due - hld.attr.win.early +
				     (u64)(hld.slots - 1) * hld.attr.win.period);
	}
	if (next < nr_cpu_ids && next != cpu) {
		/* The window is up to date before the next target reads it. */
		smp_store_release(&hld.attr.target, next);
		hpet_wdt_route(next);
		/*
		 * Periodic: if this CPU was held up (a descheduled vCPU, an
		 * SMI) until the next tick was nearly due, that tick may have
		 * come here; absorb one NMI until a period after it.
		 */
		if (!hld.attr.win.oneshot &&
		    (s64)(rdtsc() - due) > -(s64)(hld.attr.win.period / 4))
			this_cpu_write(hpet_wdt_handoff_until,
				       due + hld.attr.win.period);
	}
	if (hld.attr.win.oneshot)
		hpet_wdt_rearm(next < nr_cpu_ids ? next : cpu, old, cmp, due);

	hpet_wdt_check(cpu, regs);
	if (hld.mode == HPET_WDT_IPI)
		hpet_wdt_fan_out(cpu);
out:
	atomic_dec(&hld.inflight);
	return ret;
}

NOKPROBE_SYMBOL(hpet_wdt_target_nmi);

/*
 * NMI_LOCAL handler, called for every NMI. It takes an ipi-mode mark whose
 * IPI merged into another handler's NMI (see hpet_wdt_pending) and samples
 * the CPU, without claiming the NMI at hand. On the target, a tick half a
 * period overdue is taken as lost: it merged into an NMI another handler
 * claimed, or such a handler claimed it (AMD perf's window). Otherwise a
 * one-shot comparator would never be re-armed (when every CPU is stuck,
 * nothing else could) and a periodic channel would stay on this CPU. It
 * never claims an NMI by time. Declining costs a few loads.
 */
static int hpet_wdt_nmi_local(unsigned int type, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	int *pending = this_cpu_ptr(&hpet_wdt_pending);

	/* Left from an NMI that another handler claimed. */
	if (unlikely(this_cpu_read(hpet_wdt_mark_taken)))
		this_cpu_write(hpet_wdt_mark_taken, false);
	if (hld.mode == HPET_WDT_IPI && READ_ONCE(*pending) == HPET_WDT_SENT) {
		/* Pairs with the cmpxchg() that made the mark SENT. */
		smp_rmb();
		/* Merged once the window's early side (1/16 period) is over. */
		if (rdtsc() - READ_ONCE(hld.sent_tsc) >= READ_ONCE(hld.attr.win.early) &&
		    cmpxchg(pending, HPET_WDT_SENT, HPET_WDT_IDLE) == HPET_WDT_SENT) {
			this_cpu_inc(hpet_wdt_stats.merged);
			hpet_wdt_check(cpu, regs);
			/* Ours if nobody claims it (hpet_wdt_nmi_handler()). */
			this_cpu_write(hpet_wdt_mark_taken, true);
			return NMI_DONE;
		}
	}
	/* Pairs with the release store that made this CPU the target. */
	if (cpu == smp_load_acquire(&hld.attr.target) &&
	    (s64)(rdtsc() - hpet_wdt_expected()) >=
	    (s64)READ_ONCE(hld.overdue_tsc))
		return hpet_wdt_target_nmi(cpu, regs, true);
	return NMI_DONE;
}

NOKPROBE_SYMBOL(hpet_wdt_nmi_local);

/*
 * NMI_WATCHDOG handler: runs only for NMIs that no NMI_LOCAL handler
 * claimed. Declining an NMI on a CPU that is neither marked nor targeted
 * costs a few loads: no atomic, no store to a shared line.
 */
static int hpet_wdt_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	/* The NMI_LOCAL stage sampled this CPU on a stale mark: ours. */
	if (this_cpu_read(hpet_wdt_mark_taken)) {
		this_cpu_write(hpet_wdt_mark_taken, false);
		return NMI_HANDLED;
	}
	/* ipi mode: marked, the IPI perhaps not out yet; nobody claimed it. */
	if (hld.mode == HPET_WDT_IPI && this_cpu_read(hpet_wdt_pending) &&
	    xchg(this_cpu_ptr(&hpet_wdt_pending), HPET_WDT_IDLE)) {
		hpet_wdt_check(cpu, regs);
		return NMI_HANDLED;
	}
	if (cpu == READ_ONCE(hld.attr.target))
		return hpet_wdt_target_nmi(cpu, regs, false);
	if (cpu == READ_ONCE(hld.attr.latched_cpu) || cpu == READ_ONCE(hld.stray.cpu) ||
	    cpu == READ_ONCE(hld.wrap.cpu) || cpu == READ_ONCE(hld.overdue.cpu) ||
	    this_cpu_read(hpet_wdt_handoff_until))
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
	bool was_running = hld.running;

	lockdep_assert_held(&hld.lock);
	hpet_nmi_watchdog_stop(hld.chan.num);
	WRITE_ONCE(hld.running, false);
	WRITE_ONCE(hld.attr.target, UINT_MAX);
	/* Pairs with smp_mb__after_atomic() in the handler: either it sees
	 * running == false, or we see its inflight count.
	 */
	smp_mb();
	while (atomic_read(&hld.inflight))
		cpu_relax();

	if (was_running) {
		u64 now = rdtsc();

		hpet_wdt_expect_once(&hld.stray, hld.routed, now,
				     now + (u64)tsc_khz * HPET_WDT_STRAY_MS);
	}
	/* Stopped: no CPU expects the channel's NMI (beyond the stray one). */
	WRITE_ONCE(hld.attr.target, UINT_MAX);
	WRITE_ONCE(hld.wrap.cpu, UINT_MAX);
	WRITE_ONCE(hld.overdue.cpu, UINT_MAX);
	WRITE_ONCE(hld.attr.latched_cpu, UINT_MAX);
}

/*
 * Program the channel from the monitored mask and watchdog_thresh. The
 * channel is stopped and no handler runs (hpet_wdt_quiesce()).
 */
static void hpet_wdt_program(void)
{
	unsigned int n = hld.chan.num, slots, first;
	u64 ticks, tsc_period;
	int ret;

	lockdep_assert_held(&hld.lock);
	if (hld.stopped || hld.sleeping || hld.booting || !hld.probed ||
	    cpumask_empty(&hld.monitored) || !watchdog_thresh)
		return;

	slots = hld.mode == HPET_WDT_RR ? cpumask_weight(&hld.monitored) : 1;
	ret = hpet_wdt_period_ticks(hld.chan.freq, watchdog_thresh, slots, &ticks);
	if (ret) {
		pr_warn("cannot program the period for %us over %u CPUs on channel %u (%d), not started\n",
			watchdog_thresh, slots, n, ret);
		return;
	}

	first = cpumask_first(&hld.monitored);
	hld.ticks = ticks;
	hld.slots = slots;
	tsc_period = hpet_wdt_ticks_to_tsc(ticks, hld.chan.freq, tsc_khz);
	WRITE_ONCE(hld.gap_tsc, tsc_period * slots * HPET_WDT_GAP_SAMPLES);
	hld.margin_tsc = tsc_period / 8;
	WRITE_ONCE(hld.overdue_tsc, tsc_period / 2);
	WRITE_ONCE(hld.silent_tsc, 2 * tsc_period + hld.margin_tsc);

	hld.cmp = hpet_nmi_watchdog_program(n, ticks, hld.chan.periodic,
					    per_cpu(hpet_wdt_data, first),
					    per_cpu(hpet_wdt_addr, first));
	WRITE_ONCE(hld.routed, first);
	hpet_wdt_window_init(&hld.attr.win, rdtsc() + tsc_period,
			     tsc_period + div_s64((s64)tsc_period * hld.skew_ppm, 1000000));
	hld.attr.win.oneshot = !hld.chan.periodic;
	WRITE_ONCE(hld.last_tick, rdtsc());
	WRITE_ONCE(hld.win_cmp, hld.cmp);
	atomic64_set(&hld.win_fix, 0);
	WRITE_ONCE(hld.sync_wanted, false);
	WRITE_ONCE(hld.last_sync, rdtsc());
	if (hld.attr.win.oneshot && hld.cmp < ticks)
		hpet_wdt_expect_wrap(first, hld.cmp, hld.attr.win.expected);

	WRITE_ONCE(hld.running, true);
	/* Window and running before the target (hpet_wdt_attribute()). */
	smp_store_release(&hld.attr.target, first);
	/* Handlers see all of it before the first NMI. */
	smp_mb();
	hpet_nmi_watchdog_enable(n);
}

static void hpet_wdt_reprogram(void)
{
	hpet_wdt_quiesce();
	hpet_wdt_program();
}

/*
 * A CPU that was not present at probe (a hot-plug slot, maybe without an
 * APIC ID then) gets its message when it first comes online, here in
 * process context and before the channel may target it: composed here
 * without remapping; under remapping the IR driver points the CPU's
 * reserved entry (aimed at the boot CPU until now) at its APIC ID.
 */
static bool hpet_wdt_routable_cpu(unsigned int cpu)
{
	u32 apicid = per_cpu(x86_cpu_to_apicid, cpu);
	u32 *data = per_cpu_ptr(&hpet_wdt_data, cpu);
	u32 *addr = per_cpu_ptr(&hpet_wdt_addr, cpu);
	int ret;

	if (cpumask_test_cpu(cpu, &hpet_wdt_routable))
		return true;
	if (hpet_wdt_ir.priv)
		ret = irq_remapping_update_hpet_nmi(&hpet_wdt_ir, cpu, apicid,
						    data, addr);
	else
		ret = hpet_wdt_compose_msg(apicid, data, addr);
	if (ret) {
		pr_warn("CPU%u has APIC ID %#x, which %s cannot address (%d): not monitored\n",
			cpu, apicid, hpet_wdt_ir.priv ? "its NMI entry" :
			"a compatibility-format NMI", ret);
		return false;
	}
	pr_info("CPU%u was not present at boot: %s for APIC ID %#x\n", cpu,
		!hpet_wdt_ir.priv ? "NMI message" :
		hpet_wdt_ir.remapped ? "remapping entry" : "NMIPass message",
		apicid);
	cpumask_set_cpu(cpu, &hpet_wdt_routable);
	return true;
}

static void hpet_wdt_enable(unsigned int cpu)
{
	/* Its hrtimer may not have run yet: no report before it could. */
	watchdog_hardlockup_touch_cpu(cpu);
	mutex_lock(&hld.lock);
	if (!hpet_wdt_routable_cpu(cpu)) {
		mutex_unlock(&hld.lock);
		return;
	}
	cpumask_set_cpu(cpu, &hld.monitored);
	hpet_wdt_reprogram();
	mutex_unlock(&hld.lock);
}

static void hpet_wdt_disable(unsigned int cpu)
{
	mutex_lock(&hld.lock);
	cpumask_clear_cpu(cpu, &hld.monitored);
	hpet_wdt_reprogram();
	mutex_unlock(&hld.lock);
}

static void hpet_wdt_stop(void)
{
	mutex_lock(&hld.lock);
	hld.stopped = true;
	hpet_wdt_quiesce();
	mutex_unlock(&hld.lock);
}

static void hpet_wdt_start(void)
{
	mutex_lock(&hld.lock);
	hld.stopped = false;
	hpet_wdt_reprogram();
	mutex_unlock(&hld.lock);
}

/*
 * A CPU's watchdog hrtimer runs (hard interrupt context) and the one-shot
 * channel has been silent for more than two periods: an expiry was missed
 * (the comparator written after the counter passed it, a lost message, a
 * tick that another handler claimed while no other NMI came to take it as
 * lost). Read the counter - allowed here, never in the NMI - and re-arm on
 * the channel's grid, without touching the route or the target; the
 * target's next look moves its window after the comparator
 * (hpet_wdt_follow_cmp()). An NMI handler may re-arm at the same time, on
 * another CPU, and this CPU may be held up anywhere in between (a
 * descheduled vCPU, an SMI): the comparator is replaced only if no handler
 * wrote it since it was read, and a handler that writes it after that
 * bumps arm_seq before its own register write, so either that write comes
 * last or the bump is seen here and its value written again.
 */
static void hpet_wdt_rescue(void)
{
	unsigned int n = hld.chan.num, seq = READ_ONCE(hld.arm_seq);
	u32 counter, cmp, next, margin = max(hld.ticks / 8, 1U);
	u64 now, silent = rdtsc() - READ_ONCE(hld.last_tick);

	/* A handler writes the comparator before it bumps arm_seq. */
	smp_rmb();
	cmp = READ_ONCE(hld.cmp);
	counter = hpet_readl(HPET_COUNTER);
	next = hpet_wdt_rescue_cmp(counter, cmp, hld.ticks, margin);
	now = rdtsc();
	WRITE_ONCE(hld.last_tick, now);
	if (next == cmp || cmpxchg(&hld.cmp, cmp, next) != cmp)
		return;
	/* The counter wraps before @next: that interrupt comes first. */
	if (next < counter)
		hpet_wdt_expect_wrap(READ_ONCE(hld.routed), next,
				     now + hpet_wdt_ticks_to_tsc(next - counter,
								 hld.chan.freq,
								 tsc_khz));
	hpet_nmi_watchdog_rearm(n, next);
	/* The register write before the look at arm_seq. */
	mb();
	if (READ_ONCE(hld.arm_seq) != seq)
		hpet_nmi_watchdog_rearm(n, READ_ONCE(hld.cmp));
	hld.rescues++;
	/* Whatever left the channel silent may have left the window off too. */
	WRITE_ONCE(hld.sync_wanted, true);
	pr_warn_ratelimited("channel %u silent for %llu us (counter %#x, comparator %#x), re-armed at %#x\n",
			    n, div_u64(silent * 1000, tsc_khz), counter, cmp, next);
}

/*
 * One-shot: the window converts the comparator's grid (HPET ticks) to the
 * TSC with the nominal ratio, and only real ticks correct it. When every
 * tick is taken as lost for a long time (AMD perf's late-NMI window while
 * perf samples, for minutes), a TSC calibration error of 100 ppm moves it
 * a sixteenth of a period in about a minute: from then on the channel's
 * NMI comes "early", is refused, the comparator is no longer re-armed and
 * every rescue's tick is refused again - an unknown NMI per rescue and no
 * check at all. So once a second while ticks are being taken as lost (or
 * after a rescue), from a CPU's watchdog hrtimer (counter reads allowed
 * there), read the counter between two TSC reads and put the window where
 * the comparator of its tick (@win_cmp) really expires; the target applies
 * it on its next look unless the window moved since. Corrections under
 * 1/32 period are left to the window's own. With real ticks coming, the
 * HPET is never read.
 */
static void hpet_wdt_sync(void)
{
	u64 p = hld.attr.win.period, t0, t1, e;
	unsigned int seq;
	u32 counter, wc;
	s64 err;

	WRITE_ONCE(hld.last_sync, rdtsc());
	/* The sequence before the window; pairs with hpet_wdt_win_open(). */
	seq = smp_load_acquire(&hld.win_seq);
	if (seq & 1)
		return;
	e = READ_ONCE(hld.attr.win.expected);
	wc = READ_ONCE(hld.win_cmp);
	t0 = rdtsc_ordered();
	counter = hpet_readl(HPET_COUNTER);
	t1 = rdtsc_ordered();
	/* The window's loads before the second look at the sequence. */
	smp_rmb();
	if (READ_ONCE(hld.win_seq) != seq || t1 - t0 > p / 256)
		return;
	WRITE_ONCE(hld.sync_wanted, false);
	err = hpet_wdt_grid_error(e, wc, counter, t0 + (t1 - t0) / 2,
				  hld.chan.freq, tsc_khz);
	if (abs(err) < p / 32 || abs(err) > S32_MAX)
		return;
	atomic64_set(&hld.win_fix, (s64)(((u64)seq << 32) | (u32)(s32)-err));
	hld.syncs++;
	pr_info_ratelimited("channel %u: window %lld us off the comparator's grid, corrected\n",
			    hld.chan.num, div_s64(err * 1000, tsc_khz));
}

static void hpet_wdt_kick(void)
{
	u64 now = rdtsc();
	bool silent, sync;

	/* A periodic channel cannot miss; resume reprograms it. */
	if (!hld.attr.win.oneshot || !READ_ONCE(hld.running))
		return;
	silent = now - READ_ONCE(hld.last_tick) >= READ_ONCE(hld.silent_tsc);
	/*
	 * Real ticks keep the window on the grid: sync only while ticks are
	 * taken as lost, or after a rescue, so an idle or perf-free system
	 * never reads the HPET.
	 */
	sync = now - READ_ONCE(hld.last_sync) >= (u64)tsc_khz * 1000 &&
	       (READ_ONCE(hld.attr.win.unsampled) >= HPET_WDT_BATCH / 2 ||
		READ_ONCE(hld.sync_wanted));
	if (!silent && !sync)
		return;
	/* One rescuer at a time; the others' hrtimers find it done. */
	if (test_and_set_bit_lock(0, &hld.rescuing))
		return;
	/* Counted in like an NMI handler: quiesce waits, and no stop slips by. */
	atomic_inc(&hld.inflight);
	/* Pairs with the smp_mb() in hpet_wdt_quiesce(), as in the handler. */
	smp_mb__after_atomic();
	if (READ_ONCE(hld.running)) {
		if (rdtsc() - READ_ONCE(hld.last_tick) >= READ_ONCE(hld.silent_tsc))
			hpet_wdt_rescue();
		else if (sync)
			hpet_wdt_sync();
	}
	atomic_dec(&hld.inflight);
	clear_bit_unlock(0, &hld.rescuing);
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
		seq_printf(m, "cpu%u monitored=%d checks=%lu ticks=%lu latched=%lu stray=%lu early=%lu gaps=%lu handoff=%lu wrap=%lu late_rearm=%lu overdue=%lu/%lu merged=%lu\n",
			   cpu, cpumask_test_cpu(cpu, &hld.monitored),
			   READ_ONCE(st->checks), READ_ONCE(st->ticks),
			   READ_ONCE(st->latched), READ_ONCE(st->stray),
			   READ_ONCE(st->early), READ_ONCE(st->gaps),
			   READ_ONCE(st->handoff), READ_ONCE(st->wrap),
			   READ_ONCE(st->late_rearm), READ_ONCE(st->overdue),
			   READ_ONCE(st->overdue_absorbed), READ_ONCE(st->merged));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hpet_wdt_cpus);

/* debugfs hpet_nmi_watchdog/channel: the channel and its rescues. */
static int hpet_wdt_channel_show(struct seq_file *m, void *v)
{
	seq_printf(m, "channel=%u %s%s ticks=%u skew_ppm=%d syncs=%lu rescues=%lu\n",
		   hld.chan.num, hld.chan.periodic ? "periodic" : "one-shot",
		   hld.chan.fsb_only ? " fsb-only" : "", READ_ONCE(hld.ticks),
		   READ_ONCE(hld.skew_ppm), READ_ONCE(hld.syncs),
		   READ_ONCE(hld.rescues));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hpet_wdt_channel);

/*
 * debugfs hpet_nmi_watchdog/skew_ppm, for the test bed: make the window's
 * period (not the channel's) that many ppm off, as a TSC calibration
 * error would, and reprogram. TCG's TSC and HPET run from one clock.
 */
static int hpet_wdt_skew_set(void *data, u64 val)
{
	s64 ppm = (s64)val;

	if (ppm < -10000 || ppm > 10000) {
		pr_warn("skew_ppm=%lld out of range -10000..10000, unchanged\n", ppm);
		return -EINVAL;
	}
	mutex_lock(&hld.lock);
	WRITE_ONCE(hld.skew_ppm, ppm);
	hpet_wdt_reprogram();
	mutex_unlock(&hld.lock);
	pr_info("window period skewed by %lld ppm (test bed)\n", ppm);
	return 0;
}

static int hpet_wdt_skew_get(void *data, u64 *val)
{
	*val = (s64)READ_ONCE(hld.skew_ppm);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(hpet_wdt_skew_fops, hpet_wdt_skew_get,
				hpet_wdt_skew_set, "%lld\n");

/*
 * Start the channel once the kernel keeps time with a real clocksource
 * (clocksource_done_booting() is an fs_initcall): before that, kernel
 * time - and with it every CPU's watchdog hrtimer - can fall seconds
 * behind the TSC when ticks are lost, and a CPU that merely waited for
 * its hrtimer would look stuck. CPUs that came online meanwhile are
 * monitored from here, counted anew.
 */
static int __init hpet_wdt_late_start(void)
{
	unsigned int cpu;

	mutex_lock(&hld.lock);
	hld.booting = false;
	if (hld.probed) {
		for_each_cpu(cpu, &hld.monitored)
			watchdog_hardlockup_touch_cpu(cpu);
		hpet_wdt_program();
		pr_info("channel %u started for CPUs %*pbl\n", hld.chan.num,
			cpumask_pr_args(&hld.monitored));
	}
	mutex_unlock(&hld.lock);
	return 0;
}
late_initcall(hpet_wdt_late_start);

static int __init hpet_wdt_debugfs_init(void)
{
	if (!READ_ONCE(hld.probed))
		return 0;
	hld.debugfs = debugfs_create_dir("hpet_nmi_watchdog", NULL);
	debugfs_create_file("cpus", 0444, hld.debugfs, NULL, &hpet_wdt_cpus_fops);
	debugfs_create_file("channel", 0444, hld.debugfs, NULL,
			    &hpet_wdt_channel_fops);
	debugfs_create_file_unsafe("skew_ppm", 0600, hld.debugfs, NULL,
				   &hpet_wdt_skew_fops);
	return 0;
}
late_initcall(hpet_wdt_debugfs_init);

/*
 * System sleep: s2idle freezes the ticks (no hrtimer, so every check
 * would find no progress) and skips syscore; S3 and hibernation lose the
 * channel, and resume restarts the HPET counter. Stop before the system
 * goes down, reprogram once everything - timekeeping, interrupt
 * remapping, the CPUs - is back, in process context.
 */
static int hpet_wdt_pm_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	unsigned int cpu;

	switch (action) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		mutex_lock(&hld.lock);
		hld.sleeping = true;
		hpet_wdt_quiesce();
		mutex_unlock(&hld.lock);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
		mutex_lock(&hld.lock);
		hld.sleeping = false;
		/* The CPUs' hrtimers were frozen too: count anew. */
		for_each_cpu(cpu, &hld.monitored)
			watchdog_hardlockup_touch_cpu(cpu);
		hpet_wdt_program();
		mutex_unlock(&hld.lock);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block hpet_wdt_pm_nb = {
	.notifier_call	= hpet_wdt_pm_notify,
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
	mutex_lock(&hld.lock);
	hpet_wdt_quiesce();
	WRITE_ONCE(hld.probed, false);
	mutex_unlock(&hld.lock);
	unregister_pm_notifier(&hpet_wdt_pm_nb);
	debugfs_remove(hld.debugfs);
	hld.debugfs = NULL;
	/* Waits for NMI handlers, stray NMIs included, to finish. */
	unregister_nmi_handler(NMI_LOCAL, "hpet_wdt");
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

/*
 * Without remapping every present CPU needs a physical APIC ID below 255.
 * Possible CPUs that are not present (hot-plug slots, some without an
 * APIC ID yet) get theirs when they come online.
 */
static int __init hpet_wdt_prepare_messages(void)
{
	unsigned int cpu;
	u32 apicid;

	for_each_present_cpu(cpu) {
		apicid = per_cpu(x86_cpu_to_apicid, cpu);
		if (hpet_wdt_compose_msg(apicid, per_cpu_ptr(&hpet_wdt_data, cpu),
					 per_cpu_ptr(&hpet_wdt_addr, cpu))) {
			pr_info("not used: CPU%u has APIC ID %#x, beyond compatibility-format NMIs\n",
				cpu, apicid);
			return -ERANGE;
		}
		cpumask_set_cpu(cpu, &hpet_wdt_routable);
	}
	return 0;
}

/*
 * With remapping, the IR driver reserves one entry per possible CPU (NMI,
 * physical destination, HPET source-id) and hands back the messages. The
 * entries never change from NMI context: hotplug and cpumask changes only
 * pick other prepared messages; the entry of a CPU absent at boot is
 * pointed at it once, when it first comes online (hpet_wdt_routable_cpu()).
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

	/*
	 * A slot that is not present may have no APIC ID yet (BAD_APICID,
	 * which x2APIC would read as broadcast): its entry points at the
	 * boot CPU and is never used, as that CPU is never targeted.
	 */
	for_each_possible_cpu(cpu)
		apicids[cpu] = per_cpu(x86_cpu_to_apicid,
				       cpu_present(cpu) ? cpu : boot_cpu_data.cpu_index);
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
	cpumask_copy(&hpet_wdt_routable, cpu_present_mask);
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
		pr_info("not used: no free HPET channel with FSB delivery outside legacy replacement\n");
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
	if (!ret) {
		ret = register_nmi_handler(NMI_LOCAL, hpet_wdt_nmi_local, 0, "hpet_wdt");
		if (ret)
			unregister_nmi_handler(NMI_WATCHDOG, "hpet_wdt");
	}
	if (ret) {
		irq_remapping_free_hpet_nmi(&hpet_wdt_ir);
		hpet_release_nmi_watchdog_channel(hld.chan.num);
		return ret;
	}
	register_pm_notifier(&hpet_wdt_pm_nb);
	WRITE_ONCE(hld.probed, true);

	pr_info("channel %u at %lu Hz, %s mode, %s, %s%s channel, TSC window early side 1/16 period\n",
		hld.chan.num, hld.chan.freq, hpet_wdt_mode_names[hld.mode],
		!hpet_wdt_ir.priv ? "compatibility format" :
		hpet_wdt_ir.remapped ? "remapped" : "NMIPass",
		hld.chan.periodic ? "periodic" : "one-shot",
		hld.chan.fsb_only ? " FSB-only" : "");
	return 0;
}

/* The TSC in nanoseconds: NMI-safe, and it runs on a CPU that is stuck. */
static u64 hpet_wdt_now_ns(void)
{
	return mul_u64_u32_div(rdtsc(), NSEC_PER_MSEC, tsc_khz);
}

NOKPROBE_SYMBOL(hpet_wdt_now_ns);

const struct watchdog_hardlockup_ops arch_hardlockup_ops = {
	.name		= "hpet",
	.opt_in		= true,
	.samples	= 4,
	.stale_pct	= HPET_WDT_STALE_PCT,
	.now_ns		= hpet_wdt_now_ns,
	.probe		= hpet_wdt_probe,
	.enable		= hpet_wdt_enable,
	.disable	= hpet_wdt_disable,
	.start		= hpet_wdt_start,
	.stop		= hpet_wdt_stop,
	.describe	= hpet_wdt_describe,
	.release	= hpet_wdt_release,
	.kick		= hpet_wdt_kick,
};
