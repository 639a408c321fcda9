import { eventLoopDelay, histogramMeans } from './server-metrics';

describe('histogramMeans', () => {
  it('turns the _sum/_count pairs of *_seconds histograms into mean milliseconds, summing labelled series', () => {
    const text = [
      '# HELP verdict_decide_seconds Features + inference + policy',
      '# TYPE verdict_decide_seconds histogram',
      'verdict_decide_seconds_bucket{le="0.001"} 3',
      'verdict_decide_seconds_sum 0.02',
      'verdict_decide_seconds_count 10',
      'verdict_append_seconds_sum{store="sqlite"} 0.3',
      'verdict_append_seconds_count{store="sqlite"} 100',
      'verdict_append_seconds_sum{store="other"} 0.1',
      'verdict_append_seconds_count{store="other"} 100',
      'verdict_decisions_total{outcome="approve"} 42',
      'process_cpu_seconds_total 12.5',
    ].join('\n');
    expect(histogramMeans(text)).toEqual({
      verdict_decide_seconds: { count: 10, meanMs: 2 },
      verdict_append_seconds: { count: 200, meanMs: 2 },
    });
  });

  it('reports a histogram with no observations as 0 ms', () => {
    expect(histogramMeans('x_seconds_sum 0\nx_seconds_count 0\n')).toEqual({ x_seconds: { count: 0, meanMs: 0 } });
  });
});

describe('eventLoopDelay', () => {
  it("reads prom-client's event-loop gauges, less their 10 ms sampling interval, never below 0", () => {
    const text = [
      'verdict_nodejs_eventloop_lag_seconds 0.001',
      'verdict_nodejs_eventloop_lag_min_seconds 0.009',
      'verdict_nodejs_eventloop_lag_max_seconds 0.11',
      'verdict_nodejs_eventloop_lag_p50_seconds 0.0095',
      'verdict_nodejs_eventloop_lag_p90_seconds 0.02',
      'verdict_nodejs_eventloop_lag_p99_seconds 0.0425',
    ].join('\n');
    expect(eventLoopDelay(text)).toEqual({ p50Ms: 0, p99Ms: 32.5, maxMs: 100 });
  });

  it('is undefined when the gauges are missing', () => {
    expect(eventLoopDelay('verdict_nodejs_eventloop_lag_p99_seconds 0.02\n')).toBeUndefined();
    expect(eventLoopDelay('')).toBeUndefined();
  });
});
