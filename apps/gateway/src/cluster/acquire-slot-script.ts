/**
 * Takes a per-user connection slot atomically across the cluster.
 *
 * The user's hash maps connectionId -> instanceId. A slot counts only while its instance is
 * registered (its TTL key exists): the slots of an instance killed with -9 stop counting once
 * its registration expires, and are deleted here when next seen. The caller's own instance
 * always counts as alive, even before its first registration lands.
 *
 * KEYS[1] user hash; ARGV: connectionId, instanceId, max, instance key prefix.
 * Returns 1 when the slot is held, 0 when the user is at the cap.
 */
export const ACQUIRE_SLOT_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 1 end
local entries = redis.call('HGETALL', KEYS[1])
local alive = {}
alive[ARGV[2]] = true
local count = 0
for i = 1, #entries, 2 do
  local owner = entries[i + 1]
  if alive[owner] == nil then alive[owner] = redis.call('EXISTS', ARGV[4] .. owner) == 1 end
  if alive[owner] then count = count + 1 else redis.call('HDEL', KEYS[1], entries[i]) end
end
if count >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
