/** Retention trimming after an XADD (`id`), shared by both scripts; see PUBLISH_SCRIPT. */
const TRIM = `
local maxEvents = tonumber(ARGV[1])
local len = redis.call('XLEN', KEYS[1])
if len > maxEvents then
  local ms = tonumber(string.match(id, '^(%d+)-'))
  local cutoff = string.format('%.0f', ms - tonumber(ARGV[2]))
  local excess = math.min(len - maxEvents, tonumber(ARGV[3]))
  local old = redis.call('XRANGE', KEYS[1], '-', '(' .. cutoff .. '-0', 'COUNT', excess)
  if #old > 0 then
    local lms, lseq = string.match(old[#old][1], '^(%d+)-(%d+)$')
    redis.call('XTRIM', KEYS[1], 'MINID', lms .. '-' .. string.format('%.0f', tonumber(lseq) + 1))
  end
end
`;

/**
 * XADD plus retention trimming in one atomic round trip.
 *
 * Retention keeps whichever holds more: the newest `maxEvents` entries, or every entry younger
 * than `maxAgeMs`. So an entry may go only when it is both outside the newest `maxEvents` and
 * older than the cutoff: the oldest `len - maxEvents` entries that are older than the cutoff.
 * Age is measured on Redis' clock (the new id's milliseconds), the clock that stamps ids.
 * `trimBatch` bounds the work of one call; trimming catches up over the next publishes.
 *
 * KEYS[1] stream; ARGV: maxEvents, maxAgeMs, trimBatch, topic, type, data (JSON).
 * Returns the new entry's id.
 */
export const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], '*', 't', ARGV[4], 'y', ARGV[5], 'd', ARGV[6])
${TRIM}
return id
`;

/**
 * PUBLISH_SCRIPT for a row of the event log, at most once per row: KEYS[2] remembers the id its
 * stable key got (for ARGV[7] seconds), and a second relay of the row (its relay died before
 * recording the id) gets that id back instead of a second entry.
 */
export const PUBLISH_ONCE_SCRIPT = `
local seen = redis.call('GET', KEYS[2])
if seen then return seen end
local id = redis.call('XADD', KEYS[1], '*', 't', ARGV[4], 'y', ARGV[5], 'd', ARGV[6])
redis.call('SET', KEYS[2], id, 'EX', tonumber(ARGV[7]))
${TRIM}
return id
`;
