import type { DoctorReport, Segment } from './doctor';

/** A stored doctor run as the history keeps it: the report plus what the caller knew about it. */
export interface StoredRun {
  id: number;
  /** The uplink network's name (the travel router's WAN SSID or wired uplink), when known. */
  location?: string;
  report: DoctorReport;
}

/** One row of the history list: the numbers the table and charts need, no report body. */
export interface RunSummary {
  id: number;
  startedAt: string;
  durationMs: number;
  routerHost: string;
  routerHostname?: string;
  location?: string;
  vrReady: boolean;
  targetMbps: number;
  limitingSegment?: Segment;
  /** Downstream (home -> travel, the VR direction) per segment. */
  downMbps: { lan?: number; tunnel?: number; e2e?: number };
  loadedLatencyMs?: number;
  lossPercent?: number;
}

export interface HistoryQuery {
  limit: number;
  offset?: number;
  /** Router address or hostname. */
  router?: string;
  location?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
}

/** The filters of the history list, without paging. */
export type HistoryFilter = Omit<HistoryQuery, 'limit' | 'offset'>;

/** Which runs the charts draw: the newest `limit` runs that match the filter. */
export interface HistorySeriesQuery extends HistoryFilter {
  limit: number;
}

/**
 * What the history charts draw, as columns of one entry per run, oldest first. Only the numbers
 * the charts plot travel (rounded to 0.01), so 10 000 runs stay a few hundred kilobytes.
 */
export interface HistorySeries {
  id: number[];
  /** Start time in ms since the epoch; null when the stored time is not a date. */
  startedAt: (number | null)[];
  lanMbps: (number | null)[];
  tunnelMbps: (number | null)[];
  e2eMbps: (number | null)[];
  loadedLatencyMs: (number | null)[];
  lossPercent: (number | null)[];
}

export interface HistoryPage {
  total: number;
  runs: RunSummary[];
  /** Values for the filter menus. */
  routers: string[];
  locations: string[];
}

export type HistoryExportFormat = 'md' | 'json' | 'html';

export interface HistoryExport {
  fileName: string;
  mimeType: string;
  content: string;
}
