package io.quotient.redis;

/**
 * The Lua scripts, run atomically by Redis. A bucket is a hash {@code {t: tokens, s: stamp}} (the
 * stamp in microseconds of the engines' clocks); a missing bucket is full. Refill is
 * {@code perSecond} per second up to {@code burst}, computed on read, so no key needs a timer;
 * time never runs backwards for a bucket (an engine whose clock lags refills nothing). Each key
 * expires once it would be full again, so idle buckets leave Redis by themselves.
 *
 * <p>KEYS: the buckets of one request (one subject, so one hash slot). ARGV: now (µs), take (1/0),
 * then perSecond, burst, amount for each key.
 */
final class Scripts {
  private Scripts() {}

  private static final String REFILL =
      """
      local function refill(key, now, rate, burst)
        local state = redis.call('HMGET', key, 't', 's')
        local t, s = tonumber(state[1]), tonumber(state[2])
        if t == nil or s == nil then return burst, now end
        if now > s then
          t = t + (now - s) * rate / 1000000
          s = now
        end
        if t > burst then t = burst end
        return t, s
      end
      local function store(key, t, s, rate, burst)
        redis.call('HSET', key, 't', string.format('%.17g', t), 's', string.format('%.17g', s))
        redis.call('PEXPIRE', key, math.ceil((burst - t) * 1000 / rate) + 1000)
      end
      """;

  /** Returns -1 when every bucket has its amount (taken if ARGV[2] is 1), else the 0-based index of the first that has not. */
  static final String ACQUIRE =
      REFILL
          + """
          local now = tonumber(ARGV[1])
          local take = ARGV[2] == '1'
          local ts, ss = {}, {}
          for i = 1, #KEYS do
            local rate, burst, amount = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
            local t, s = refill(KEYS[i], now, rate, burst)
            if t < amount then return i - 1 end
            ts[i], ss[i] = t, s
          end
          if take then
            for i = 1, #KEYS do
              local rate, burst, amount = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
              store(KEYS[i], ts[i] - amount, ss[i], rate, burst)
            end
          end
          return -1
          """;

  /** Gives amounts back (never past the burst): the tokens of a batch that did not commit. ARGV[2] is unused. */
  static final String GIVE_BACK =
      REFILL
          + """
          local now = tonumber(ARGV[1])
          for i = 1, #KEYS do
            local rate, burst, amount = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
            local t, s = refill(KEYS[i], now, rate, burst)
            t = t + amount
            if t > burst then t = burst end
            store(KEYS[i], t, s, rate, burst)
          end
          return 0
          """;
}
