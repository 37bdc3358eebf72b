/* The 8254 counter model behind pit8254.h. A running counter is a start time and
 * a start value, and its count and OUT at any later tick are computed from them
 * (no per-tick stepping), as are the rising edges of counter 0's OUT between two
 * calls. Comments quote or name the Intel 82C54 datasheet section a rule comes from. */
#include "hv/devices/pit8254.h"

#include <stddef.h>
#include <string.h>

/* What the CPU reads when nothing drives the data bus (the control port). */
#define FLOATING_BUS            0xff

/* Control word: SC1-0 RW1-0 M2-0 BCD. */
#define CONTROL_SELECT_SHIFT    6
#define CONTROL_SELECT_READ_BACK 3
#define CONTROL_ACCESS_SHIFT    4
#define CONTROL_ACCESS_MASK     3
#define CONTROL_MODE_SHIFT      1
#define CONTROL_MODE_MASK       7
#define CONTROL_BCD             0x01
#define CONTROL_COUNTER_BITS    0x3f   /* what a counter keeps, and its status reports */

/* RW1-0 */
#define ACCESS_LATCH            0      /* counter latch command */
#define ACCESS_LSB              1
#define ACCESS_MSB              2
#define ACCESS_LSB_THEN_MSB     3

/* Read-back command: 1 1 COUNT# STATUS# CNT2 CNT1 CNT0 0 (the # bits are active low). */
#define READ_BACK_NO_COUNT      0x20
#define READ_BACK_NO_STATUS     0x10
#define READ_BACK_COUNTER_SHIFT 1

/* Status byte: OUTPUT NULL-COUNT RW1 RW0 M2 M1 M0 BCD. */
#define STATUS_OUTPUT           0x80
#define STATUS_NULL_COUNT       0x40

#define BINARY_MODULUS          0x10000u
#define BCD_MODULUS             10000u

#define POWER_ON_CONTROL        0x30   /* lsb then msb, mode 0, binary */

/* ---- Modes ---- */

/* The datasheet lists modes 2 and 3 as X10 and X11 (X: don't care): 6 and 7
 * are 2 and 3. */
static unsigned mode_of(uint8_t control)
{
    unsigned mode = (control >> CONTROL_MODE_SHIFT) & CONTROL_MODE_MASK;

    return mode >= 6 ? mode - 4 : mode;
}

static unsigned channel_mode(const struct pit_channel *channel)
{
    return mode_of(channel->control);
}

static unsigned channel_access(const struct pit_channel *channel)
{
    return (channel->control >> CONTROL_ACCESS_SHIFT) & CONTROL_ACCESS_MASK;
}

static bool is_periodic(unsigned mode)
{
    return mode == 2 || mode == 3;
}

/* Modes 0, 2, 3 and 4 count only while GATE is high; 1 and 5 use its edges only. */
static bool gate_level_enables_counting(unsigned mode)
{
    return mode != 1 && mode != 5;
}

/* "Trigger": a rising GATE edge (re)loads modes 1, 2, 3 and 5. */
static bool gate_edge_triggers(unsigned mode)
{
    return mode != 0 && mode != 4;
}

/* ---- Counts as written and read (binary or BCD) ---- */

/* After terminal count a one-shot keeps counting down through 0 and wraps:
 * 0 is 0x10000 in binary and 10000 in BCD. */
static uint32_t channel_modulus(const struct pit_channel *channel)
{
    return (channel->control & CONTROL_BCD) ? BCD_MODULUS : BINARY_MODULUS;
}

/* A count as written to clocks. BCD digits above 9 are undefined on the part;
 * here they just weigh their value. */
static uint32_t count_from_register(const struct pit_channel *channel, uint16_t value)
{
    uint32_t count = value;

    if (channel->control & CONTROL_BCD)
        count = (value >> 12) * 1000u + ((value >> 8) & 0xf) * 100u +
                ((value >> 4) & 0xf) * 10u + (value & 0xf);
    return count == 0 ? channel_modulus(channel) : count;
}

static uint16_t register_from_count(const struct pit_channel *channel, uint32_t count)
{
    count %= channel_modulus(channel);
    if (!(channel->control & CONTROL_BCD))
        return (uint16_t)count;
    return (uint16_t)((count / 1000) << 12 | (count / 100 % 10) << 8 | (count / 10 % 10) << 4 |
                      count % 10);
}

/* ---- A counter at a given tick ---- */

/* Clocks counted since start_time; GATE low stopped the count at paused_at. */
static uint64_t elapsed_at(const struct pit_channel *channel, uint64_t t)
{
    uint64_t until = channel->paused ? channel->paused_at : t;

    return until > channel->start_time ? until - channel->start_time : 0;
}

/* Mode 3, "Square Wave Mode": an even count N is high for N/2 clocks and low for
 * N/2; an odd one "high for (N + 1)/2 counts and low for (N - 1)/2 counts". */
static uint32_t square_wave_high_clocks(uint32_t period)
{
    return (period + 1) / 2;
}

/* A square wave loaded at the end of a high half-cycle starts with its low half:
 * it begins this many clocks into its period. */
static uint32_t square_wave_head_start(const struct pit_channel *channel)
{
    return channel->start_in_low_half ? square_wave_high_clocks(channel->start_value) : 0;
}

/* Where in its period the square wave is: 0 is the first clock of a high half. */
static uint64_t square_wave_phase(const struct pit_channel *channel, uint64_t elapsed)
{
    uint32_t period = channel->start_value;

    return (elapsed % period + square_wave_head_start(channel)) % period;
}

/* The counting element, in clocks (a full 0x10000 reads as 0). */
static uint32_t count_at(const struct pit_channel *channel, uint64_t t)
{
    uint32_t period = channel->start_value;
    uint64_t elapsed;

    if (!channel->running)
        return channel->held_count;
    elapsed = elapsed_at(channel, t);
    switch (channel_mode(channel)) {
    case 2:
        /* N, N-1, ..., 1, then N again: a rate generator never shows 0. */
        return period - (uint32_t)(elapsed % period);
    case 3: {
        /* Each half-cycle counts down by two: from N for an even count, from
         * N - 1 for an odd one ("the initial count minus one is loaded"). The
         * odd high half ends on 0, held one clock; the low half ends on 2. */
        uint64_t phase = square_wave_phase(channel, elapsed);
        uint32_t high = square_wave_high_clocks(period);
        uint64_t step = phase < high ? phase : phase - high;

        return (period & ~1u) - 2 * (uint32_t)step;
    }
    default: {
        uint32_t modulus = channel_modulus(channel);

        return (uint32_t)((channel->start_value + modulus - elapsed % modulus) % modulus);
    }
    }
}

static bool output_at(const struct pit_channel *channel, uint64_t t)
{
    uint32_t period = channel->start_value;
    uint64_t elapsed;

    if (!channel->running)
        return channel->held_output;
    elapsed = elapsed_at(channel, t);
    switch (channel_mode(channel)) {
    case 0:
    case 1:
        return elapsed >= period;               /* low until terminal count */
    case 2:
        /* Low for the one clock at count 1; "if GATE goes low during an output
         * pulse, OUT is set high immediately". */
        return channel->paused || elapsed % period != period - 1;
    case 3:
        return channel->paused ||
               square_wave_phase(channel, elapsed) < square_wave_high_clocks(period);
    default:
        return elapsed != period;               /* 4, 5: low for the clock of terminal count */
    }
}

/* Rising edges of OUT in (start_time, t], for a counter whose GATE stays high
 * (counter 0's): a one-shot has at most one, a periodic mode one per period. */
static uint64_t rising_edges_until(const struct pit_channel *channel, uint64_t t)
{
    uint32_t period = channel->start_value;
    uint64_t elapsed;

    if (!channel->running)
        return 0;
    elapsed = elapsed_at(channel, t);
    switch (channel_mode(channel)) {
    case 0:
    case 1:
        return elapsed >= period;
    case 2:
        return elapsed / period;
    case 3:
        /* OUT rises as each period ends. */
        return elapsed / period + (elapsed % period + square_wave_head_start(channel)) / period;
    default:
        return elapsed > period;                /* the strobe ends a clock after terminal count */
    }
}

/* The first rising edge of OUT after t, for a counter whose GATE stays high. */
static uint64_t next_rising_edge(const struct pit_channel *channel, uint64_t t)
{
    uint32_t period = channel->start_value;
    uint64_t from = t > channel->start_time ? t : channel->start_time;
    uint64_t edge;

    if (!channel->running || channel->paused)
        return PIT_NO_EDGE;
    switch (channel_mode(channel)) {
    case 0:
    case 1:
        edge = channel->start_time + period;
        break;
    case 2:
        return from + (period - (from - channel->start_time) % period);
    case 3:
        return from + (period - square_wave_phase(channel, from - channel->start_time));
    default:
        edge = channel->start_time + period + 1;
        break;
    }
    return edge > t ? edge : PIT_NO_EDGE;
}

/* ---- Loading, stopping, gating ---- */

/* CR moves into the CE: one clock after a count is written or a trigger, or at
 * the end of the cycle in which a periodic mode was given a new count. */
static void channel_load(struct pit_channel *channel)
{
    channel->running = true;
    channel->start_time = channel->load_time;
    channel->start_value = channel->count_register;
    channel->start_in_low_half = channel->load_into_low_half;
    /* GATE does not stop the load, only the counting after it. */
    channel->paused = !channel->gate && gate_level_enables_counting(channel_mode(channel));
    channel->paused_at = channel->load_time;
    channel->null_count = false;
    channel->load_scheduled = false;
}

/* Applies a load that fell due by now. Every change to a counter starts here,
 * so that it acts on the counter as it is at now. */
static void channel_settle(struct pit_channel *channel, uint64_t now)
{
    if (channel->load_scheduled && channel->load_time <= now)
        channel_load(channel);
}

/* Applies the scheduled load to a copy; true when it took OUT from low to high
 * (a mode 4 count rewritten just as it strobed), an edge no formula sees. */
static bool load_raises_output(struct pit_channel *view)
{
    uint64_t at = view->load_time;
    bool before = output_at(view, at);

    channel_load(view);
    return !before && output_at(view, at);
}

static void channel_schedule_load(struct pit_channel *channel, uint64_t time, bool into_low_half)
{
    channel->load_scheduled = true;
    channel->load_time = time;
    channel->load_into_low_half = into_low_half;
}

/* The CE stops where it is, OUT is forced, and any pending load is dropped. */
static void channel_stop(struct pit_channel *channel, uint64_t now, bool output)
{
    channel->held_count = count_at(channel, now);
    channel->held_output = output;
    channel->running = false;
    channel->paused = false;
    channel->load_scheduled = false;
}

/* Modes 2 and 3: "Writing a new count while counting does not affect the
 * current counting sequence": the count is loaded at the end of the current
 * period (mode 2) or half-cycle (mode 3). */
static void schedule_load_at_end_of_cycle(struct pit_channel *channel, uint64_t now)
{
    uint32_t period = channel->start_value;
    uint64_t elapsed = elapsed_at(channel, now);
    uint64_t phase = square_wave_phase(channel, elapsed);
    uint32_t high = square_wave_high_clocks(period);

    if (channel_mode(channel) == 2)
        channel_schedule_load(channel, now + (period - elapsed % period), false);
    else if (phase < high)
        channel_schedule_load(channel, now + (high - phase), true);
    else
        channel_schedule_load(channel, now + (period - phase), false);
}

/* A whole count has been written ("Counter Loading"). */
static void channel_write_count(struct pit_channel *channel, uint16_t value, uint64_t now)
{
    unsigned mode = channel_mode(channel);

    channel->count_register = count_from_register(channel, value);
    channel->count_written = true;
    channel->null_count = true;
    switch (mode) {
    case 0:
        /* "OUT ... remains high until a new count or a new Mode 0 Control Word
         * is written"; the new count starts over. */
        channel_stop(channel, now, false);
        channel_schedule_load(channel, now + 1, false);
        break;
    case 4:
        channel_schedule_load(channel, now + 1, false);
        break;
    case 2:
    case 3:
        if (!channel->running)
            channel_schedule_load(channel, now + 1, false);
        else if (!channel->paused)
            schedule_load_at_end_of_cycle(channel, now);
        /* paused by GATE: the next trigger loads it */
        break;
    default:
        /* 1, 5: "the current one-shot is not affected unless the Counter is
         * retriggered" */
        break;
    }
}

/* A control word (not a latch command): "all Control Logic is immediately reset
 * and OUT goes to a known initial state" -- low in mode 0, high otherwise. The
 * datasheet leaves the CE undefined until the next count; the model holds it. */
static void channel_write_control(struct pit_channel *channel, uint8_t value, uint64_t now)
{
    uint8_t control = value & CONTROL_COUNTER_BITS;

    channel_stop(channel, now, mode_of(control) != 0);
    channel->control = control;
    channel->count_written = false;
    channel->null_count = true;
    channel->count_latched = false;
    channel->status_latched = false;
    channel->read_msb_next = false;
    channel->write_msb_next = false;
}

/* Counter 2's GATE, from port B. GATE is sampled at each clock, so a change at
 * now acts on the clocks after now. */
static void channel_set_gate(struct pit_channel *channel, bool gate, uint64_t now)
{
    unsigned mode = channel_mode(channel);

    if (gate == channel->gate)
        return;
    channel->gate = gate;
    if (!gate) {
        if (!channel->running || !gate_level_enables_counting(mode))
            return;
        /* A stopped rate generator never reaches the end of its cycle. */
        if (is_periodic(mode))
            channel->load_scheduled = false;
        channel->paused = true;
        channel->paused_at = now;
    } else if (channel->paused && !gate_edge_triggers(mode)) {
        /* Modes 0 and 4 carry on from where they stopped. */
        channel->start_time += now - channel->paused_at;
        channel->paused = false;
    } else if (gate_edge_triggers(mode) && channel->count_written) {
        channel_schedule_load(channel, now + 1, false);
    }
}

/* ---- Reading and writing a counter ---- */

static uint16_t register_value(const struct pit_channel *channel, uint64_t now)
{
    return register_from_count(channel, count_at(channel, now));
}

/* "If a Counter is latched and then, some time later, latched again before the
 * count is read, the second Counter Latch Command is ignored." */
static void channel_latch_count(struct pit_channel *channel, uint64_t now)
{
    if (channel->count_latched)
        return;
    channel->latched_count = register_value(channel, now);
    channel->count_latched = true;
}

static void channel_latch_status(struct pit_channel *channel, uint64_t now)
{
    if (channel->status_latched)
        return;
    channel->latched_status = (uint8_t)((output_at(channel, now) ? STATUS_OUTPUT : 0) |
                                        (channel->null_count ? STATUS_NULL_COUNT : 0) |
                                        channel->control);
    channel->status_latched = true;
}

/* "If both count and status of a counter are latched, the first read operation
 * of that counter will return the latched status". An unlatched read returns
 * the count at now, byte by byte: an lsb and an msb read at different ticks may
 * belong to different counts, as on the part. */
static uint8_t channel_read(struct pit_channel *channel, uint64_t now)
{
    uint16_t value;
    bool last_byte;
    uint8_t byte;

    if (channel->status_latched) {
        channel->status_latched = false;
        return channel->latched_status;
    }
    value = channel->count_latched ? channel->latched_count : register_value(channel, now);
    switch (channel_access(channel)) {
    case ACCESS_LSB:
        byte = (uint8_t)value;
        last_byte = true;
        break;
    case ACCESS_MSB:
        byte = (uint8_t)(value >> 8);
        last_byte = true;
        break;
    default:
        byte = channel->read_msb_next ? (uint8_t)(value >> 8) : (uint8_t)value;
        last_byte = channel->read_msb_next;
        channel->read_msb_next = !channel->read_msb_next;
        break;
    }
    if (last_byte)
        channel->count_latched = false;
    return byte;
}

/* Reads and writes of lsb-then-msb counts keep separate byte pointers: "reads
 * and writes of the same Counter may be interleaved". */
static void channel_write(struct pit_channel *channel, uint8_t value, uint64_t now)
{
    switch (channel_access(channel)) {
    case ACCESS_LSB:
        channel_write_count(channel, value, now);
        break;
    case ACCESS_MSB:
        channel_write_count(channel, (uint16_t)(value << 8), now);
        break;
    default:
        if (!channel->write_msb_next) {
            channel->written_lsb = value;
            channel->write_msb_next = true;
            /* Mode 0: "Writing the first byte disables counting. OUT is set low
             * immediately". */
            if (channel_mode(channel) == 0)
                channel_stop(channel, now, false);
        } else {
            channel->write_msb_next = false;
            channel_write_count(channel, (uint16_t)(channel->written_lsb | value << 8), now);
        }
        break;
    }
}

/* Port 0x43: a control word, a counter latch command or a read-back command. */
static void pit_write_control(struct pit8254 *pit, uint8_t value, uint64_t now)
{
    unsigned select = value >> CONTROL_SELECT_SHIFT;
    struct pit_channel *channel;

    if (select == CONTROL_SELECT_READ_BACK) {
        for (unsigned i = 0; i < PIT_CHANNELS; i++) {
            channel = &pit->channel[i];
            if (!(value & (1u << (READ_BACK_COUNTER_SHIFT + i))))
                continue;
            if (!(value & READ_BACK_NO_COUNT))
                channel_latch_count(channel, now);
            if (!(value & READ_BACK_NO_STATUS))
                channel_latch_status(channel, now);
        }
        return;
    }
    channel = &pit->channel[select];
    if (((value >> CONTROL_ACCESS_SHIFT) & CONTROL_ACCESS_MASK) == ACCESS_LATCH)
        channel_latch_count(channel, now);
    else
        channel_write_control(channel, value, now);
}

/* ---- Counter 0's edges ---- */

/* Rising edges of a gate-high counter's OUT in (from, to], across at most one
 * scheduled load (one is all a counter can have). */
static uint64_t rising_edges_between(const struct pit_channel *channel, uint64_t from, uint64_t to)
{
    struct pit_channel view = *channel;
    uint64_t edges = 0;

    channel_settle(&view, from);
    if (view.load_scheduled && view.load_time <= to) {
        uint64_t load_time = view.load_time;

        edges = rising_edges_until(&view, load_time) - rising_edges_until(&view, from);
        edges += load_raises_output(&view);
        from = load_time;
    }
    return edges + rising_edges_until(&view, to) - rising_edges_until(&view, from);
}

/* Brings the model to now: counter 0's edges are counted up to now before any
 * counter takes a load that fell due, which would hide the edges before it. */
static void pit_advance(struct pit8254 *pit, uint64_t now)
{
    if (now > pit->channel0_counted_until) {
        pit->channel0_unreported_edges +=
            rising_edges_between(&pit->channel[0], pit->channel0_counted_until, now);
        pit->channel0_counted_until = now;
    }
    for (unsigned i = 0; i < PIT_CHANNELS; i++)
        channel_settle(&pit->channel[i], now);
}

/* ---- The ports ---- */

void pit_init(struct pit8254 *pit, uint64_t now)
{
    memset(pit, 0, sizeof *pit);
    for (unsigned i = 0; i < PIT_CHANNELS; i++) {
        pit->channel[i].gate = i != 2;
        channel_write_control(&pit->channel[i], POWER_ON_CONTROL, now);
    }
    pit->channel0_counted_until = now;
}

bool pit_claims_port(uint16_t port)
{
    return (port >= PIT_CHANNEL0_PORT && port <= PIT_CONTROL_PORT) || port == PIT_PORT_B;
}

static uint8_t port_b_read(const struct pit8254 *pit, uint64_t now)
{
    uint8_t value = pit->port_b;

    if ((now / PIT_REFRESH_TICKS) % 2)
        value |= PIT_PORT_B_REFRESH;
    if (output_at(&pit->channel[2], now))
        value |= PIT_PORT_B_OUT2;
    return value;
}

uint8_t pit_read(struct pit8254 *pit, uint16_t port, uint64_t now)
{
    pit_advance(pit, now);
    switch (port) {
    case PIT_CHANNEL0_PORT:
    case PIT_CHANNEL1_PORT:
    case PIT_CHANNEL2_PORT:
        return channel_read(&pit->channel[port - PIT_CHANNEL0_PORT], now);
    case PIT_PORT_B:
        return port_b_read(pit, now);
    default:
        return FLOATING_BUS;   /* the control port is write-only */
    }
}

void pit_write(struct pit8254 *pit, uint16_t port, uint8_t value, uint64_t now)
{
    bool output0_before;

    pit_advance(pit, now);
    output0_before = output_at(&pit->channel[0], now);
    switch (port) {
    case PIT_CHANNEL0_PORT:
    case PIT_CHANNEL1_PORT:
    case PIT_CHANNEL2_PORT:
        channel_write(&pit->channel[port - PIT_CHANNEL0_PORT], value, now);
        break;
    case PIT_CONTROL_PORT:
        pit_write_control(pit, value, now);
        break;
    case PIT_PORT_B:
        pit->port_b = value & PIT_PORT_B_WRITABLE;
        channel_set_gate(&pit->channel[2], value & PIT_PORT_B_GATE2, now);
        break;
    default:
        break;
    }
    /* A control word forces OUT: from low to high that is an edge. */
    if (!output0_before && output_at(&pit->channel[0], now))
        pit->channel0_unreported_edges++;
}

bool pit_channel_output(const struct pit8254 *pit, unsigned channel, uint64_t now)
{
    struct pit_channel view;

    if (channel >= PIT_CHANNELS)
        return false;
    view = pit->channel[channel];
    channel_settle(&view, now);
    return output_at(&view, now);
}

uint64_t pit_channel0_edges(struct pit8254 *pit, uint64_t now)
{
    uint64_t edges;

    pit_advance(pit, now);
    edges = pit->channel0_unreported_edges;
    pit->channel0_unreported_edges = 0;
    return edges;
}

uint64_t pit_channel0_next_edge(const struct pit8254 *pit, uint64_t now)
{
    struct pit_channel view = pit->channel[0];
    uint64_t edge;

    channel_settle(&view, now);
    edge = next_rising_edge(&view, now);
    if (view.load_scheduled && edge > view.load_time) {
        uint64_t load_time = view.load_time;

        if (load_raises_output(&view))
            return load_time;
        edge = next_rising_edge(&view, load_time);
    }
    return edge;
}
