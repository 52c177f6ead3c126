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
