import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compactDate, compactMillis, compactSeconds, shanghaiParts } from './shanghai-time';

/**
 * The msgid generator: the one place that makes message and order identifiers.
 *
 * National msgid = fixmedins_code(12) + yyyyMMddHHmmss + seq(4).
 * Uniqueness:
 *  - in one process: a logical clock (second, counter) that only moves forward. When a second's
 *    1000 counters are used up it borrows the next second, so a burst can never repeat.
 *  - across processes: the first sequence digit is the process's instance id (MSGID_INSTANCE,
 *    0-9); every process that generates msgids for one fixmedins_code needs its own id.
 *  - across restarts: the logical clock starts after the later of "now" and the last second
 *    recorded in the watermark file (DATA_DIR), so a restart never reuses a second.
 */
export class LogicalSecondClock {
  private second: number;
  private counter = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly watermarkFile?: string,
    private readonly perSecond = 1000,
  ) {
    const persisted = watermarkFile ? readWatermark(watermarkFile) : 0;
    this.second = Math.max(Math.floor(now() / 1000) + 1, persisted + 1);
    this.persist();
  }

  /** Returns [epochSecond, counter] strictly increasing. */
  next(): [number, number] {
    const wall = Math.floor(this.now() / 1000);
    if (wall > this.second) {
      this.second = wall;
      this.counter = 0;
      this.persist();
    } else if (this.counter >= this.perSecond) {
      this.second += 1;
      this.counter = 0;
      this.persist();
    }
    return [this.second, this.counter++];
  }

  private persist(): void {
    if (!this.watermarkFile) return;
    fs.mkdirSync(path.dirname(this.watermarkFile), { recursive: true });
    fs.writeFileSync(this.watermarkFile, String(this.second));
  }
}

function readWatermark(file: string): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(n) ? n : 0;
  } catch {
    return 0;
  }
}

export interface MsgidGeneratorOptions {
  fixmedinsCode: string;
  instance: number;
  now?: () => number;
  watermarkFile?: string;
}

export class MsgidGenerator {
  private readonly clock: LogicalSecondClock;
  private readonly wuqiClock: LogicalSecondClock;

  constructor(private readonly opts: MsgidGeneratorOptions) {
    if (!/^[A-Z0-9]{12}$/.test(opts.fixmedinsCode)) throw new Error('fixmedins_code must be 12 characters');
    if (!Number.isInteger(opts.instance) || opts.instance < 0 || opts.instance > 9) throw new Error('MSGID_INSTANCE must be 0-9');
    this.clock = new LogicalSecondClock(opts.now, opts.watermarkFile);
    this.wuqiClock = new LogicalSecondClock(opts.now, opts.watermarkFile ? `${opts.watermarkFile}.wuqi` : undefined);
  }

  /** National header msgid, 30 characters. */
  national(): string {
    const [second, counter] = this.clock.next();
    const seq = String(this.opts.instance) + String(counter).padStart(3, '0');
    return this.opts.fixmedinsCode + compactSeconds(second * 1000) + seq;
  }

  /** 五期 msgid: 医疗机构代码(11) + yyyyMMdd + 9-digit sequence (instance + second of day + counter). */
  wuqi(orgCode11: string): string {
    if (!/^[0-9A-Z]{11}$/.test(orgCode11)) throw new Error('五期 org code must be 11 characters');
    const [second, counter] = this.wuqiClock.next();
    const p = shanghaiParts(second * 1000);
    const secondOfDay = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
    const seq = String(this.opts.instance) + String(secondOfDay).padStart(5, '0') + String(counter).padStart(3, '0');
    return orgCode11 + compactDate(second * 1000) + seq;
  }
}

/** orderNo = fixmedins_code(12) + yyyyMMddHHmmssSSS + 6 random digits (V13 SE02). */
export function newOrderNo(fixmedinsCode: string, now: number = Date.now()): string {
  return fixmedinsCode + compactMillis(now) + String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * The 五期 form of an order number (§4.8.2.2 "医疗机构代码（11位） + yyyyMMddHHmmssSSS + 6位随机数字"): the
 * configured 五期 code (WUQI_ORG_CODE) and the national orderNo's time and random digits (its last 23).
 */
export function wuqiOrderNo(orderNo: string, wuqiOrgCode: string): string {
  if (!/^[0-9A-Z]{11}$/.test(wuqiOrgCode)) throw new Error('the 五期 医疗机构代码 (WUQI_ORG_CODE) must be 11 characters of 0-9/A-Z');
  const tail = orderNo.slice(-23);
  if (!/^\d{23}$/.test(tail)) throw new Error('orderNo must end with yyyyMMddHHmmssSSS + 6 digits');
  return wuqiOrgCode + tail;
}

export const NATIONAL_MSGID_RE = /^[A-Z0-9]{12}\d{18}$/;
export const ORDER_NO_RE = /^[A-Z0-9]{12}\d{23}$/;
