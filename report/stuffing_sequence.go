package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"renke/survey"
)

// sequenceSims is the number of simulated schools the sequence rule's
// p-value is computed from: p = (1 + runs at least as long) / (1 + sims).
const sequenceSims = 9999

// stamp is a sheet's submission time (Unix seconds) and keyed address (as a
// small number within its unit).
type stamp struct {
	at   float64
	addr int
	i    int // index into the responses
}

// longestRun is the longest stretch of stamps (sorted by time) sent one after
// another, each within maxGap of the last, each interval within half of the
// one before, from at most maxAddr addresses; it returns the run's stamps.
func longestRun(ss []stamp, maxGap float64, maxAddr int) []stamp {
	if len(ss) == 0 {
		return nil
	}
	best, start := ss[:1], 0
	addrs := make([]int, 0, maxAddr+1) // the run's distinct addresses
	has := func(a int) bool {
		for _, x := range addrs {
			if x == a {
				return true
			}
		}
		return false
	}
	addrs = append(addrs, ss[0].addr)
	for j := 1; j < len(ss); j++ {
		gap := ss[j].at - ss[j-1].at
		ok := gap <= maxGap
		if ok && j-start >= 2 {
			prev := ss[j-1].at - ss[j-2].at
			ok = abs(gap-prev) <= 0.5*max(gap, prev)
		}
		if ok && !has(ss[j].addr) && len(addrs) >= maxAddr {
			ok = false
		}
		if !ok {
			// A new run: the last pair may begin it, if close enough and
			// within the address limit; else the sheet alone.
			start, addrs = j, addrs[:0]
			if gap <= maxGap && (ss[j-1].addr == ss[j].addr || maxAddr >= 2) {
				start = j - 1
				addrs = append(addrs, ss[j-1].addr)
			}
		}
		if !has(ss[j].addr) {
			addrs = append(addrs, ss[j].addr)
		}
		if j-start+1 > len(best) {
			best = ss[start : j+1]
		}
	}
	return best
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// sequenceTests tests each school × group's one-time-code sheets: is their longest
// run of sheets sent one after another, at near-equal intervals, from few
// addresses longer than independent answering makes likely? The null keeps
// the sheets' addresses and draws their submission times independently from
// the times of all the county's other sheets (its daily rhythm), by a
// simulation whose seed is recorded.
func sequenceTests(rs []survey.Response, units []unit, rule SequenceRule) []Finding {
	var out []Finding
	for _, u := range units {
		var ss []stamp
		in := map[int]bool{}
		addrID := map[string]int{}
		for _, i := range u.idx {
			in[i] = true
			if rs[i].CodeKind == survey.OneTimeCode && !rs[i].SubmittedAt.IsZero() {
				a, ok := addrID[rs[i].AddrHash]
				if !ok {
					a = len(addrID)
					addrID[rs[i].AddrHash] = a
				}
				ss = append(ss, stamp{at: unixSeconds(rs[i].SubmittedAt), addr: a, i: i})
			}
		}
		if len(ss) < rule.MinRun {
			continue
		}
		sort.Slice(ss, func(a, b int) bool { return ss[a].at < ss[b].at })
		gap := rule.MaxGap.Seconds()
		run := longestRun(ss, gap, rule.MaxAddresses)
		f := Finding{Rule: RuleSequence, School: u.school, Group: u.group, Responses: len(ss), P: 1}
		addrs := map[int]bool{}
		for _, s := range run {
			addrs[s.addr] = true
		}
		mean := 0.0
		if len(run) > 1 {
			mean = (run[len(run)-1].at - run[0].at) / float64(len(run)-1)
		}
		f.Observed = fmt.Sprintf("%d 份一次性码答卷中，最长一段 %d 份一个接一个提交，平均间隔 %.0f 秒，来自 %d 个网络地址",
			len(ss), len(run), mean, len(addrs))
		f.Expected = "各份按全县其他答卷的提交时间独立作答时，同样长的连续段出现的概率如 p 所示（模拟）"
		if len(run) >= rule.MinRun {
			var pool []float64
			for i := range rs {
				if !in[i] && !rs[i].SubmittedAt.IsZero() {
					pool = append(pool, unixSeconds(rs[i].SubmittedAt))
				}
			}
			if len(pool) < minNullSheets {
				continue
			}
			f.Seed = unitSeed(rs, u, RuleSequence)
			f.P = simulateRuns(ss, pool, len(run), gap, rule.MaxAddresses, f.Seed)
			idx := make([]int, len(run))
			for k, s := range run {
				idx[k] = s.i
			}
			f.Count, f.ResponseIDs = len(run), ids(rs, idx)
			f.Expected = fmt.Sprintf("各份按全县其他 %d 份答卷的提交时间独立作答时，%d 次模拟（种子 %d）中出现 %d 份以上连续段的概率如 p 所示",
				len(pool), sequenceSims, f.Seed, len(run))
		}
		out = append(out, f)
	}
	return out
}

// simulateRuns is the share of simulated schools (the sheets' addresses,
// times drawn from pool) whose longest run is at least obs, counting the
// observed school as one of them.
func simulateRuns(ss []stamp, pool []float64, obs int, gap float64, maxAddr int, seed uint64) float64 {
	rng := rand.New(rand.NewPCG(seed, 0x73657175))
	pool = slices.Clone(pool)
	slices.Sort(pool) // then a draw's pool index orders it in time
	n := len(ss)
	keys := make([]int, n) // pool index × n + sheet: sorts by time, keeps each sheet's address
	b := newBucketSorter(n, len(pool)*n)
	sim := make([]stamp, n)
	hits := 0
	for k := 0; k < sequenceSims; k++ {
		for j := range keys {
			keys[j] = rng.IntN(len(pool))*n + j
		}
		b.sort(keys)
		for j, key := range keys {
			sim[j] = stamp{at: pool[key/n], addr: ss[key%n].addr}
		}
		if len(longestRun(sim, gap, maxAddr)) >= obs {
			hits++
		}
	}
	return float64(1+hits) / float64(1+sequenceSims)
}

// bucketSorter sorts n distinct keys drawn uniformly from [0, limit) in
// expected linear time: one bucket per key by value range, each bucket (one
// key on average) sorted by insertion. The order is the sorted order, as
// slices.Sort gives it; only the time differs (the simulation sorts 9,999
// draws per tested school, most of a report's estimation time).
type bucketSorter struct {
	limit  int
	starts []int // bucket i begins at out[starts[i]]
	next   []int // where bucket i's next key goes
	out    []int
}

func newBucketSorter(n, limit int) *bucketSorter {
	return &bucketSorter{limit: max(limit, 1), starts: make([]int, n+1), next: make([]int, n+1), out: make([]int, n)}
}

// sort sorts keys (each in [0, limit), len n) in place.
func (b *bucketSorter) sort(keys []int) {
	n := len(keys)
	if n < 2 {
		return
	}
	clear(b.starts)
	bucket := func(k int) int { return int(uint64(k) * uint64(n) / uint64(b.limit)) }
	for _, k := range keys {
		b.starts[bucket(k)+1]++
	}
	for i := 1; i <= n; i++ {
		b.starts[i] += b.starts[i-1]
	}
	copy(b.next, b.starts)
	for _, k := range keys {
		i := bucket(k)
		at := b.next[i]
		b.next[i]++
		for at > b.starts[i] && b.out[at-1] > k {
			b.out[at] = b.out[at-1]
			at--
		}
		b.out[at] = k
	}
	copy(keys, b.out)
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
