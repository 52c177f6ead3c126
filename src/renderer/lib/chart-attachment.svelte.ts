import type { Attachment } from 'svelte/attachments';
import type { ChartHandle, ChartSpec } from './chart-spec';
import type * as Charts from './charts';

type ChartsModule = typeof Charts;

/**
 * Draws `spec()` on the canvas with chart.js, loaded on first use. The spec is a getter so the
 * chart is updated in place when its data changes instead of being rebuilt.
 */
export function chart(spec: () => ChartSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    let charts = $state.raw<ChartsModule | undefined>(undefined);
    let handle: ChartHandle | undefined;
    let disposed = false;
    void import('./charts').then((module) => {
      if (!disposed) charts = module;
    });
    $effect(() => {
      const next = spec();
      if (!charts) return;
      if (handle) handle.update(next);
      else handle = charts.createChart(canvas, next);
      canvas.dataset['ready'] = 'true';
    });
    return () => {
      disposed = true;
      handle?.destroy();
    };
  };
}
