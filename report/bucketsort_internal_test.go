package report

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBucketSorterSortsAsSlicesSort: the simulation's sort gives the same
// order as slices.Sort for the keys it draws (pool index × n + sheet), for
// every size, including pools smaller than the sheets and repeated draws.
func TestBucketSorterSortsAsSlicesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 30, 200} {
		for _, pool := range []int{1, 2, 5, 40, 1000} {
			b := newBucketSorter(n, pool*n)
			keys := make([]int, n)
			for range 50 {
				for j := range keys {
					keys[j] = rng.IntN(pool)*n + j
				}
				want := slices.Clone(keys)
				slices.Sort(want)
				b.sort(keys)
				if !slices.Equal(keys, want) {
					t.Fatalf("n %d, pool %d: got %v, want %v", n, pool, keys, want)
				}
			}
		}
	}
}
