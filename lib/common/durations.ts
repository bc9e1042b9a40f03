/** A retention the stack's settings accept: whole days or hours, e.g. `30d`, `336h`. */
export const RETENTION = /^([1-9][0-9]*)(d|h)$/;

/**
 * A retention in hours (`720h`). Every backend parses that form, whether it reads Go's
 * time.Duration (no `d` unit) or Prometheus' model.Duration.
 */
export function retentionHours(retention: string): string {
  const match = RETENTION.exec(retention);
  if (!match) throw new Error(`retention "${retention}": expected whole days or hours, e.g. "30d" or "336h"`);
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  return `${hours}h`;
}
