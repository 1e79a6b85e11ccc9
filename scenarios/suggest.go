package scenarios

import (
	"cmp"
	"slices"
	"strings"
)

// suggest words the hint for an unknown name: the closest known names (by
// edit distance, or containing the name), else the whole list.
func suggest(name string, known []string) string {
	type scored struct {
		name string
		dist int
	}
	var close []scored
	for _, k := range known {
		d := distance(name, k)
		if d <= max(2, len(name)/3) || (name != "" && strings.Contains(k, name)) {
			close = append(close, scored{k, d})
		}
	}
	if len(close) == 0 {
		return "known: " + strings.Join(known, ", ")
	}
	slices.SortStableFunc(close, func(a, b scored) int { return cmp.Compare(a.dist, b.dist) })
	names := make([]string, 0, 5)
	for _, c := range close[:min(5, len(close))] {
		names = append(names, c.name)
	}
	return "did you mean " + strings.Join(names, ", ") + "?"
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
