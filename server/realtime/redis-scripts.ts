// The Lua scripts behind the Redis channel bus (redis-bus.ts). Each runs atomically: no other
// process's command lands between its reads and writes.

// KEYS: seq, events, pub/sub channel, this publish's id. ARGV: event JSON without seq (an object,
// `type` first), keep, ttl ms, floor. The seq is spliced in as text: cjson would turn empty arrays into
// objects. ioredis sends a command again when its connection dropped before the reply; the publish id
// makes the second run return the first one's seq instead of numbering the event twice. The floor is
// the latest seq the publishing process delivered: after Redis lost its data, numbering goes on above
// it instead of starting again under what every open socket has seen.
export const PUBLISH = `
local done = redis.call('GET', KEYS[4])
if done then return tonumber(done) end
if tonumber(ARGV[4]) > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], ARGV[4]) end
local seq = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[4], seq, 'PX', 60000)
local event = string.sub(ARGV[1], 1, -2) .. ',"seq":' .. seq .. '}'
redis.call('LPUSH', KEYS[2], event)
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[3], '{"kind":"public","event":' .. event .. '}')
return seq`;

// KEYS: seq. ARGV: floor, ttl ms. Numbering goes on above `floor` (see PUBLISH).
export const RAISE = `
if tonumber(ARGV[1]) > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end`;

// KEYS: seq, events. ARGV: afterSeq. Returns {-1} when the events after it are not all kept.
export const SINCE = `
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local after = tonumber(ARGV[1])
if after > last then return {-1} end
local count = last - after
if count == 0 then return {last} end
if count > redis.call('LLEN', KEYS[2]) then return {-1} end
local events = redis.call('LRANGE', KEYS[2], 0, count - 1)
table.insert(events, 1, last)
return events`;

// KEYS: viewers hash, seq, events. ARGV: process id, count, fresh ms, ttl ms. Redis's own clock, so
// processes' clocks need not agree. Entries past freshness are removed as they are found. While sockets
// are open the seq and the events stay: expired under a page open for days before the next event, the
// numbers would start again below what its process has delivered.
export const REPORT_VIEWERS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '0' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now) end
local all = redis.call('HGETALL', KEYS[1])
local sum = 0
for i = 1, #all, 2 do
  local count, at = string.match(all[i + 1], '^(%d+):(%d+)$')
  if count and now - tonumber(at) <= tonumber(ARGV[3]) then sum = sum + tonumber(count) else redis.call('HDEL', KEYS[1], all[i]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if sum > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
return sum`;

export interface Scripts {
  linboPublish(seqKey: string, eventsKey: string, channel: string, publishKey: string, event: string, keep: number, ttlMs: number, floor: number): Promise<number>;
  linboRaise(seqKey: string, floor: number, ttlMs: number): Promise<null>;
  linboSince(seqKey: string, eventsKey: string, afterSeq: number): Promise<(number | string)[]>;
  linboReportViewers(viewersKey: string, seqKey: string, eventsKey: string, processId: string, here: number, freshMs: number, ttlMs: number): Promise<number>;
}
