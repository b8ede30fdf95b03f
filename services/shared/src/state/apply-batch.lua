-- Applies one batch of state ops and records the partition's offset, atomically (one script run).
-- KEYS[1]   offsets hash of the partition (field = processor/topic)
-- KEYS[2..] every state key the batch touches (all in the partition's hash slot)
-- ARGV[1]   offsets field
-- ARGV[2]   offset of the batch's last record
-- ARGV[3]   JSON [[offset, kind, keyIndex, args...], ...] in offset order
-- ARGV[4]   optional: the stored offset the caller read its inputs at ('' = no check). A stage that reads
--           state before computing ops passes it, so a concurrent writer (a stale instance during a
--           rebalance) makes the apply fail instead of mixing two views.
-- Ops of records at or below the stored offset are skipped (replay, re-delivery, overlapping batch).
-- Returns {applied op count, skipped op count, stored offset after the call}.
local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
local last = tonumber(ARGV[2])
if ARGV[4] ~= nil and ARGV[4] ~= '' and tonumber(ARGV[4]) ~= stored then
  return redis.error_reply('REC_STATE_OFFSET_MOVED stored offset is ' .. tostring(stored) .. ', expected ' .. ARGV[4])
end
if last <= stored then
  return {0, 0, tostring(stored)}
end
local ops = cjson.decode(ARGV[3])
local applied, skipped = 0, 0
local guarded = nil -- offset whose remaining ops are skipped by a failed guard
for _, op in ipairs(ops) do
  local offset = tonumber(op[1])
  local kind, key = op[2], KEYS[op[3]]
  if offset <= stored or offset == guarded then
    skipped = skipped + 1
  elseif kind == 'guard' then
    if redis.call('SADD', key, op[4]) == 0 then guarded = offset end
    applied = applied + 1
  else
    if kind == 'zincrby' then redis.call('ZINCRBY', key, op[4], op[5])
    elseif kind == 'zadd' then redis.call('ZADD', key, op[4], op[5])
    elseif kind == 'zaddmax' then redis.call('ZADD', key, 'GT', op[4], op[5])
    elseif kind == 'zrem' then redis.call('ZREM', key, op[4])
    elseif kind == 'zkeeptop' then redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(op[4]) + 1))
    elseif kind == 'zrembelow' then redis.call('ZREMRANGEBYSCORE', key, '-inf', op[4])
    elseif kind == 'hincrby' then redis.call('HINCRBY', key, op[4], op[5])
    elseif kind == 'hincrbyfloat' then redis.call('HINCRBYFLOAT', key, op[4], op[5])
    elseif kind == 'hset' then redis.call('HSET', key, op[4], op[5])
    elseif kind == 'hsetmax' then
      local current = tonumber(redis.call('HGET', key, op[4]) or '-inf')
      if tonumber(op[5]) > current then redis.call('HSET', key, op[4], op[5]) end
    elseif kind == 'hdel' then redis.call('HDEL', key, op[4])
    elseif kind == 'lpushuniquetrim' then
      redis.call('LREM', key, 0, op[4])
      redis.call('LPUSH', key, op[4])
      redis.call('LTRIM', key, 0, tonumber(op[5]) - 1)
    elseif kind == 'pfadd' then redis.call('PFADD', key, op[4])
    elseif kind == 'sadd' then redis.call('SADD', key, op[4])
    elseif kind == 'srem' then redis.call('SREM', key, op[4])
    elseif kind == 'del' then redis.call('DEL', key)
    else
      return redis.error_reply('REC_STATE_OP_UNKNOWN ' .. tostring(kind))
    end
    applied = applied + 1
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {applied, skipped, ARGV[2]}
