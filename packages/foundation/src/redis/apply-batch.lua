-- Applies one batch of state ops and records the partition's offset, atomically (one script run).
-- KEYS[1]   offsets hash of the partition (field = processor/topic)
-- KEYS[2..] every state key the batch touches (all in the partition's hash slot)
-- ARGV[1]   offsets field
-- ARGV[2]   offset to store: the batch's last record (or of this chunk's last record, see ARGV[5])
-- ARGV[3]   flat JSON: per record `offset, opCount`, then per op `kindCode, keyIndex, args...`, in
--           offset order (state-ops.ts: encodeBatch, opCodes)
-- ARGV[4]   optional: the stored offset the caller read its inputs at ('' = no check). A stage that reads
--           state before computing ops passes it, so a concurrent writer (a stale instance during a
--           rebalance) makes the apply fail instead of mixing two views.
-- ARGV[5]   optional: the lowest stored offset this call accepts ('' = none). A batch applied in several
--           calls (chunks) passes the previous chunk's offset, so a chunk never applies after a failed one.
-- ARGV[6]   optional: the offset the consumer read this batch from ('' = no check). A partition with a
--           stored offset refuses a batch read from beyond stored + 1 with REC_STATE_GAP: the store went
--           back in time under a running consumer (Redis restarted from an older AOF/RDB, a failover
--           losing the last second), and applying would skip the records in between for good. The
--           consumer re-reads from stored + 1 instead.
-- ARGV[7]   optional: where the partition starts without a stored offset ('' = unknown). A partition
--           without one (rolled back to before its first apply) refuses a batch read from beyond it with
--           REC_STATE_GAP, and the consumer re-reads from there.
-- Ops of records at or below the stored offset are skipped (replay, re-delivery, overlapping batch).
-- Returns {applied op count, skipped op count, stored offset after the call}.
-- Redis does not undo a script's writes when it fails. A batch is checked before its first write (op
-- codes), and a write that fails after others (a key of another type, a field that is not a number)
-- marks the partition (field ARGV[1] .. '!partial' of KEYS[1]) and fails with REC_STATE_PARTIAL: retrying
-- would apply the first writes twice, so every later call on that partition is refused until the state is
-- rebuilt (npm run replay; docs/OPERATIONS.md). A failure before any write fails with REC_STATE_APPLY_FAILED.
local partial = redis.call('HGET', KEYS[1], ARGV[1] .. '!partial')
if partial then
  return redis.error_reply('REC_STATE_PARTIAL the partition holds a partly applied batch (' .. partial .. '); rebuild its state')
end
local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
local last = tonumber(ARGV[2])
if ARGV[4] ~= nil and ARGV[4] ~= '' and tonumber(ARGV[4]) ~= stored then
  return redis.error_reply('REC_STATE_OFFSET_MOVED stored offset is ' .. tostring(stored) .. ', expected ' .. ARGV[4])
end
if ARGV[5] ~= nil and ARGV[5] ~= '' and stored < tonumber(ARGV[5]) then
  return redis.error_reply('REC_STATE_OFFSET_MOVED stored offset is ' .. tostring(stored) .. ', the previous chunk ends at ' .. ARGV[5])
end
if ARGV[6] ~= nil and ARGV[6] ~= '' then
  local resume = nil
  if stored >= 0 then
    resume = stored + 1
  elseif ARGV[7] ~= nil and ARGV[7] ~= '' then
    resume = tonumber(ARGV[7])
  end
  if resume ~= nil and tonumber(ARGV[6]) > resume then
    return redis.error_reply('REC_STATE_GAP stored offset is ' .. string.format('%d', stored) .. ', the batch was read from ' .. ARGV[6] .. ', resume at ' .. string.format('%d', resume))
  end
end
if last <= stored then
  return {0, 0, tostring(stored)}
end
local call = redis.call
-- Calls this script can prove to be no-ops are left out; the state is the same as with them:
-- * bound[key]: an upper bound of a sorted set's size, known once this script trimmed it (ZKeepTop) or
--   deleted it, raised by what may have added a member since (ZADD replies how many it added; ZINCRBY
--   created the member only if the new score equals the increment). A ZKeepTop to at least the bound
--   removes nothing, so it is skipped.
-- * known[key][field]: a hash field's value as this script last read or wrote it, so HSetMax needs no
--   HGET; any other write to that hash forgets it.
-- * added[key][element]: an element this script added to a HyperLogLog (PFADD); adding it again changes
--   no register, so it is skipped. DEL forgets the key.
local bound, known, added = {}, {}, {}
local function grown(key, added)
  local size = bound[key]
  if size ~= nil then bound[key] = size + added end
end
local function zincrby(key, by, member)
  local score = call('ZINCRBY', key, by, member)
  if tonumber(score) == tonumber(by) then grown(key, 1) end
end
-- A write to one field changes only that field: the others' remembered values stay exact.
local function hashWrite(key, field)
  local fields = known[key]
  if fields ~= nil then fields[field] = nil end
end
-- HSetMax / HSetMin: set the field when `better(new, current)`, remembering the value (see known).
local function hsetIf(key, a, b, absent, better)
  local fields = known[key]
  if fields == nil then
    fields = {}
    known[key] = fields
  end
  local current = fields[a]
  if current == nil then current = tonumber(call('HGET', key, a) or absent) end
  local value = tonumber(b)
  if better(value, current) then
    call('HSET', key, a, b)
    current = value
  end
  fields[a] = current
end
-- Doubles written with 17 significant digits read back as the same double.
local function exact(value) return string.format('%.17g', value) end
-- Arg counts per kind code (state-ops.ts: opCodes), and what each code does with key and args a, b.
local argCount = {1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 1, 2, 1, 1, 1, 0, 2, 4, 5}
local apply = {
  nil, -- 1 guard: handled in the loop
  zincrby,
  function(key, a, b) grown(key, call('ZADD', key, a, b)) end,
  function(key, a, b) grown(key, call('ZADD', key, 'GT', a, b)) end,
  function(key, a) call('ZREM', key, a) end,
  function(key, a)
    local count = tonumber(a)
    local size = bound[key]
    if size ~= nil and size <= count then return end
    call('ZREMRANGEBYRANK', key, 0, -(count + 1))
    bound[key] = count
  end,
  function(key, a) call('ZREMRANGEBYSCORE', key, '-inf', a) end,
  function(key, a, b) hashWrite(key, a); call('HINCRBY', key, a, b) end,
  function(key, a, b) hashWrite(key, a); call('HINCRBYFLOAT', key, a, b) end,
  function(key, a, b) hashWrite(key, a); call('HSET', key, a, b) end,
  function(key, a, b) hsetIf(key, a, b, '-inf', function(value, current) return value > current end) end,
  function(key, a) hashWrite(key, a); call('HDEL', key, a) end,
  function(key, a, b)
    call('LREM', key, 0, a)
    call('LPUSH', key, a)
    call('LTRIM', key, 0, tonumber(b) - 1)
  end,
  function(key, a)
    local elements = added[key]
    if elements == nil then
      elements = {}
      added[key] = elements
    elseif elements[a] then
      return
    end
    call('PFADD', key, a)
    elements[a] = true
  end,
  function(key, a) call('SADD', key, a) end,
  function(key, a) call('SREM', key, a) end,
  function(key)
    call('DEL', key)
    bound[key] = 0
    known[key] = nil
    added[key] = nil
  end,
  function(key, a, b) hsetIf(key, a, b, 'inf', function(value, current) return value < current end) end,
  nil, -- 19 HDecayAdd: always through a hash group (applyHashGroup)
}
-- 20 dedup (state-ops.ts: OpKind.Dedup; event-dedup.ts has the same rules as a model). A registry is a
-- sorted set per stage and partition: members name seen-sets by their day (the part of the set's key
-- that differs between days, so the registry is the same in every state version) scored by the event
-- day they expire on (day + retention), and the member WATERMARK holds minus the newest event day seen
-- (negative, so the expiry range 0..day never reaches it). Everything here is a function of the set of
-- records applied, not of their order. Per registry this call remembers the watermark, the day it last
-- swept through and the members it listed, so the common record costs one SADD; each is exact (a sweep at
-- or below `swept` finds nothing: every member listed since expires after the watermark).
local WATERMARK = 'watermark'
local registries = {}
local function registryOf(key)
  local registry = registries[key]
  if registry == nil then
    local held = call('ZSCORE', key, WATERMARK)
    registry = {watermark = held and -tonumber(held) or -1, swept = -1, listed = {}}
    registries[key] = registry
  end
  return registry
end
-- Returns whether the record is new (the rest of its ops run).
local function dedup(set, registryKey, id, member, day, retention)
  local registry = registryOf(registryKey)
  if day > registry.watermark then
    registry.watermark = day
    call('ZADD', registryKey, -day, WATERMARK)
  end
  if registry.swept < registry.watermark then
    local expired = call('ZRANGEBYSCORE', registryKey, 0, registry.watermark)
    if #expired > 0 then
      local at = string.find(set, ':' .. member .. ':', 1, true)
      local before, after = string.sub(set, 1, at), string.sub(set, at + #member + 1)
      for _, name in ipairs(expired) do
        call('DEL', before .. name .. after)
        registry.listed[name] = nil
      end
      call('ZREMRANGEBYSCORE', registryKey, 0, registry.watermark)
    end
    registry.swept = registry.watermark
  end
  -- A day the watermark has already moved `retention` past has no set any more: the event is counted
  -- and leaves none (its duplicates would be counted too; no source of this system re-sends that late).
  if day + retention <= registry.watermark then return true end
  if not registry.listed[member] then
    call('ZADD', registryKey, day + retention, member)
    registry.listed[member] = true
  end
  return call('SADD', set, id) == 1
end
-- A hash group: consecutive ops of one record on one hash, of the kinds HDecayAdd (19), HIncrBy (8),
-- HSetMax (11) and HSetMin (18), no field twice, read with one HMGET and written with one HSET. It writes
-- the same fields in the same order with the same values as one call per op (HINCRBY, HGET then HSET,
-- HMGET then HSET), so the same hash: a new field lands where its own call would have put it, and a
-- field HSetMax/HSetMin leaves alone is not written. A group of one op is applied on its own (an HSetMax
-- whose value this call remembers needs no read at all; HDecayAdd has no call of its own). Each op is {code, field, a, b, c, timeField} with the
-- op's args and HDecayAdd's time field (`field@t`); HDecayAdd is state-ops.ts's decayAdd arithmetic, in doubles.
local function decayed(heldValue, heldTime, by, time, halfLife)
  if heldTime == nil then return by, time end
  if time >= heldTime then return tonumber(heldValue or '0') * 2 ^ (-(time - heldTime) / halfLife) + by, time end
  return tonumber(heldValue or '0') + by * 2 ^ (-(heldTime - time) / halfLife), heldTime
end
-- HINCRBY's own rule for what it adds to: absent is 0, anything but a canonical integer is refused.
local function heldInteger(held)
  if held == false or held == nil then return 0 end
  if not (held == '0' or string.find(held, '^%-?[1-9]%d*$')) or #held > 16 then
    error({err = 'ERR hash value is not an integer'})
  end
  return tonumber(held)
end
local function applyHashGroup(key, group)
  local fields = known[key]
  if fields == nil then
    fields = {}
    known[key] = fields
  end
  local names, slots = {}, {}
  for n, op in ipairs(group) do
    if op[1] == 19 then
      names[#names + 1] = op[2]
      names[#names + 1] = op[6]
      slots[n] = #names - 1
    elseif op[1] == 8 or fields[op[2]] == nil then
      names[#names + 1] = op[2]
      slots[n] = #names
    end
  end
  local held = #names > 0 and call('HMGET', key, unpack(names)) or {}
  local writes = {}
  for n, op in ipairs(group) do
    local code, field = op[1], op[2]
    if code == 19 then
      local value, time = decayed(held[slots[n]], tonumber(held[slots[n] + 1]), tonumber(op[3]), tonumber(op[4]), tonumber(op[5]))
      fields[field] = nil
      fields[op[6]] = nil
      writes[#writes + 1] = field
      writes[#writes + 1] = exact(value)
      writes[#writes + 1] = op[6]
      writes[#writes + 1] = string.format('%d', time)
    elseif code == 8 then
      local value = heldInteger(held[slots[n]]) + tonumber(op[3])
      if math.abs(value) > 9007199254740991 then error({err = 'ERR increment or decrement would overflow'}) end
      fields[field] = nil
      writes[#writes + 1] = field
      writes[#writes + 1] = string.format('%d', value)
    else
      local current = fields[field]
      if current == nil then current = tonumber(held[slots[n]] or (code == 11 and '-inf' or 'inf')) end
      local value = tonumber(op[3])
      if (code == 11 and value > current) or (code == 18 and value < current) then
        writes[#writes + 1] = field
        writes[#writes + 1] = op[3]
        current = value
      end
      fields[field] = current
    end
  end
  if #writes > 0 then call('HSET', key, unpack(writes)) end
end
local groupable = {[8] = true, [11] = true, [18] = true, [19] = true}
local ops = cjson.decode(ARGV[3])
-- Every op code known before anything is written.
do
  local i, n = 1, #ops
  while i <= n do
    local count = ops[i + 1]
    i = i + 2
    for _ = 1, count do
      local args = argCount[ops[i]]
      if args == nil then return redis.error_reply('REC_STATE_OP_UNKNOWN ' .. tostring(ops[i])) end
      i = i + 2 + args
    end
  end
end
local applied, skipped = 0, 0
local first, current = nil, nil
local ok, failure = pcall(function()
local i, n = 1, #ops
while i <= n do
  local offset, count = tonumber(ops[i]), ops[i + 1]
  i = i + 2
  local skipping = offset <= stored
  current = offset
  if first == nil and not skipping then first = offset end
  -- Consecutive hash-group ops of one hash wait here until another op, another hash, a repeated field or
  -- the record's end, then apply together (applyHashGroup).
  local groupKey, group, groupFields = nil, {}, {}
  local function flushGroup()
    if groupKey == nil then return end
    if #group == 1 and group[1][1] ~= 19 then
      local op = group[1]
      apply[op[1]](groupKey, op[2], op[3], op[4], op[5])
    else
      applyHashGroup(groupKey, group)
    end
    applied = applied + #group
    groupKey, group, groupFields = nil, {}, {}
  end
  for _ = 1, count do
    local code = ops[i]
    local args = argCount[code]
    -- HDecayAdd's time field, named once per op
    local timeField = code == 19 and ops[i + 2] .. '@t' or nil
    if groupKey ~= nil and (not groupable[code] or KEYS[ops[i + 1]] ~= groupKey or groupFields[ops[i + 2]] or (timeField and groupFields[timeField])) then flushGroup() end
    if skipping then
      skipped = skipped + 1
    elseif groupable[code] then
      groupKey = KEYS[ops[i + 1]]
      groupFields[ops[i + 2]] = true
      if timeField then groupFields[timeField] = true end
      -- {code, field, a, b, c, timeField}: the op's args after its key index (HDecayAdd: field, by, time, halfLife)
      group[#group + 1] = {code, ops[i + 2], ops[i + 3], ops[i + 4], ops[i + 5], timeField}
    elseif code == 1 then
      -- guard: when the id was already seen, the rest of this record's ops are skipped
      if call('SADD', KEYS[ops[i + 1]], ops[i + 2]) == 0 then skipping = true end
      applied = applied + 1
    elseif code == 20 then
      if not dedup(KEYS[ops[i + 1]], KEYS[ops[i + 2]], ops[i + 3], ops[i + 4], tonumber(ops[i + 5]), tonumber(ops[i + 6])) then skipping = true end
      applied = applied + 1
    else
      apply[code](KEYS[ops[i + 1]], ops[i + 2], ops[i + 3], ops[i + 4], ops[i + 5])
      applied = applied + 1
    end
    i = i + 2 + args
  end
  flushGroup()
end
end)
if not ok then
  local message = type(failure) == 'table' and (failure.err or cjson.encode(failure)) or tostring(failure)
  if applied == 0 then return redis.error_reply('REC_STATE_APPLY_FAILED ' .. message) end
  local where = 'records ' .. string.format('%d', first or -1) .. '..' .. string.format('%d', current or -1) .. ' of a batch ending at ' .. ARGV[2]
    .. ', after ' .. applied .. ' ops: ' .. message
  redis.call('HSET', KEYS[1], ARGV[1] .. '!partial', where)
  return redis.error_reply('REC_STATE_PARTIAL ' .. where)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {applied, skipped, ARGV[2]}
