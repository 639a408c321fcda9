import { histogramMeans } from './server-metrics';

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
