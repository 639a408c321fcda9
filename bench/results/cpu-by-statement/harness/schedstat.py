# Samples /proc schedstat of each thread of a process (pgrep -f PATTERN) after DELAY s for INTERVAL s: cores run and waited.
# Usage: python3 schedstat.py PATTERN DELAY INTERVAL
import sys, time, glob, subprocess
time.sleep(float(sys.argv[2])); I = float(sys.argv[3])
pid = subprocess.run(['pgrep', '-f', sys.argv[1]], capture_output=True, text=True).stdout.split()[0]
def snap():
    d = {}
    for t in glob.glob(f'/proc/{pid}/task/*'):
        try: d[t] = (open(t + '/comm').read().strip(), *map(int, open(t + '/schedstat').read().split()[:2]))
        except OSError: pass
    return d
def stat(): return list(map(int, open('/proc/stat').readline().split()[1:]))
a, s1 = snap(), stat(); time.sleep(I); b, s2 = snap(), stat()
for t in b:
    if t in a:
        run = (b[t][1] - a[t][1]) / 1e9 / I; wait = (b[t][2] - a[t][2]) / 1e9 / I
        if run > 0.01: print(f'{b[t][0]:18s} run {run:.3f} wait {wait:.3f}')
d = [y - x for x, y in zip(s1, s2)]; tot = sum(d)
print('machine: user %.2f nice %.2f sys %.2f idle %.2f iowait %.2f softirq %.2f (cores)' % tuple(2 * d[i] / tot for i in (0, 1, 2, 3, 4, 6)))
