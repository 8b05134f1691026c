package lifecycle

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(n float64) time.Time { return now.Add(-time.Duration(n * 24 * float64(time.Hour))) }

func img(name string, age float64, tags ...string) Image {
	return Image{Digest: ecr.Digest("sha256:" + name), Tags: tags, PushedAt: daysAgo(age)}
}

func mustParse(t *testing.T, text string) Policy {
	t.Helper()
	p, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// expired lists the expired images as name@rule, oldest first.
func expired(r Result) []string {
	var out []string
	for _, d := range r.Expire {
		out = append(out, fmt.Sprintf("%s@%d", d.Digest[len("sha256:"):], d.RulePriority))
	}
	return out
}

func TestEvaluate(t *testing.T) {
	tagged := func(prio, list, kind string, n int) string {
		return rule(prio, fmt.Sprintf(`{"tagStatus":"tagged","%s":%s,"countType":"imageCountMoreThan","countNumber":%d}`, kind, list, n))
	}
	tests := []struct {
		name   string
		policy string
		images []Image
		want   []string
	}{
		{
			// ECR's documented example: rule 2 would expire B, but rule 1
			// saw B first; A, expired by rule 1, still counts for rule 2.
			name:   "aws example: an image is expired by at most one rule",
			policy: policy(tagged("1", `["prod*"]`, "tagPatternList", 1), tagged("2", `["beta*"]`, "tagPatternList", 1)),
			images: []Image{img("a", 10, "beta-1", "prod-1"), img("b", 9, "beta-2", "prod-2"), img("c", 8, "beta-3")},
			want:   []string{"a@1"},
		},
		{
			name:   "aws example: every pattern of a rule must match a tag",
			policy: policy(tagged("1", `["alpha*","beta*"]`, "tagPatternList", 1)),
			images: []Image{img("a", 10, "alpha-1", "beta-1", "gamma-1"), img("b", 9, "alpha-2", "beta-2"), img("c", 8, "alpha-3", "beta-3", "gamma-3"), img("d", 1, "alpha-4")},
			want:   []string{"a@1", "b@1"},
		},
		{
			name:   "prefix list: every prefix must start a tag",
			policy: policy(tagged("1", `["release","v"]`, "tagPrefixList", 1)),
			images: []Image{img("a", 5, "release-1", "v1"), img("b", 4, "release-2"), img("c", 3, "v3", "release-3"), img("d", 2, "v4")},
			want:   []string{"a@1"},
		},
		{
			name:   "untagged: keep the newest",
			policy: policy(rule("1", untaggedCount)),
			images: []Image{img("a", 3), img("b", 2), img("c", 1), img("t", 9, "latest")},
			want:   []string{"a@1", "b@1"},
		},
		{
			name:   "since pushed: strictly older than N days",
			policy: policy(rule("1", `{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":7}`)),
			images: []Image{img("old", 30, "x"), img("edge", 7), img("new", 1)},
			want:   []string{"old@1"},
		},
		{
			name:   "any rule spares what a tagged rule selected",
			policy: policy(tagged("1", `["prod"]`, "tagPrefixList", 5), rule("2", `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}`)),
			images: []Image{img("p1", 9, "prod-1"), img("p2", 8, "prod-2"), img("dev", 7, "dev"), img("u", 6), img("new", 1, "dev-2")},
			want:   []string{"dev@2", "u@2"},
		},
		{
			name:   "count ties broken by digest",
			policy: policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}`)),
			images: []Image{img("a", 1), img("b", 1), img("c", 1)},
			want:   []string{"a@1", "b@1"},
		},
		{
			name:   "referrers are never selected",
			policy: policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}`)),
			images: []Image{img("a", 3), {Digest: "sha256:sig", PushedAt: daysAgo(9), Referrer: true}, img("b", 1)},
			want:   []string{"a@1"},
		},
		{
			name:   "nothing to do",
			policy: policy(rule("1", untaggedCount)),
			images: nil,
			want:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := expired(Evaluate(mustParse(t, tt.policy), tt.images, Refs{}, now))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("expired %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEvaluateKeepsImagesInUse(t *testing.T) {
	p := mustParse(t, policy(rule("1", `{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}`)))
	images := []Image{img("a", 4, "v1"), img("b", 3, "v2"), img("c", 2), img("d", 1, "v4")}
	refs := Refs{Tags: map[string]bool{"v1": true}, Digests: map[ecr.Digest]bool{"sha256:c": true}}
	res := Evaluate(p, images, refs, now)
	// a and c are in use; no other image goes in their place.
	if got := expired(res); !slices.Equal(got, []string{"b@1"}) {
		t.Fatalf("expired %v, want [b@1]", got)
	}
	if len(res.Kept) != 2 || res.Kept[0].Reason != KeptInUse || res.Kept[0].RulePriority != 1 {
		t.Fatalf("kept %+v", res.Kept)
	}
}

func TestEvaluateIndexes(t *testing.T) {
	p := mustParse(t, policy(rule("1", untaggedCount)))
	child1 := img("child1", 5)
	child2 := img("child2", 5)
	index := img("index", 4, "multi")
	index.Children = []ecr.Digest{child1.Digest, child2.Digest}
	oldIndex := img("oldindex", 6)
	grand := img("grand", 7)
	oldIndex.Children = []ecr.Digest{grand.Digest}
	res := Evaluate(p, []Image{child1, child2, index, oldIndex, grand, img("new", 1)}, Refs{}, now)
	// The tagged index keeps its children; the untagged old index goes
	// with its own child.
	if got := expired(res); !slices.Equal(got, []string{"grand@1", "oldindex@1"}) {
		t.Fatalf("expired %v", got)
	}
	kept := 0
	for _, k := range res.Kept {
		if k.Reason == KeptInIndex {
			kept++
		}
	}
	if kept != 2 {
		t.Fatalf("kept %+v, want both children of the tagged index", res.Kept)
	}
	// An index in use keeps its children too.
	res = Evaluate(p, []Image{child1, child2, oldIndex, grand, img("new", 1)}, Refs{Digests: map[ecr.Digest]bool{oldIndex.Digest: true}}, now)
	if got := expired(res); !slices.Equal(got, []string{"child1@1", "child2@1"}) {
		t.Fatalf("with the old index in use, expired %v", got)
	}
}

// TestEvaluateProperties checks random repositories against random
// policies: no image in use goes; every image that goes is selected by
// its rule and by no earlier rule; a count rule never expires one of the
// N newest of its selection; an age rule only expires older images.
func TestEvaluateProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tags := []string{"prod-1", "prod-2", "beta", "v1", "v2", "latest", "dev-x"}
	for iter := 0; iter < 2000; iter++ {
		var images []Image
		for i := 0; i < rng.Intn(12); i++ {
			im := img(fmt.Sprintf("%02d", i), float64(rng.Intn(40)))
			for _, tg := range tags {
				if rng.Intn(5) == 0 {
					im.Tags = append(im.Tags, tg+fmt.Sprint(i))
				}
			}
			images = append(images, im)
		}
		p := randomPolicy(rng)
		refs := Refs{Digests: map[ecr.Digest]bool{}}
		for _, im := range images {
			if rng.Intn(6) == 0 {
				refs.Digests[im.Digest] = true
			}
		}
		res := Evaluate(p, images, refs, now)
		for _, d := range res.Expire {
			if refs.Uses(d.Image) {
				t.Fatalf("iter %d: expired %s in use", iter, d.Digest)
			}
			for _, r := range p.Rules {
				if r.Priority < d.RulePriority && r.selects(d.Image) {
					t.Fatalf("iter %d: %s expired by rule %d but rule %d selected it first", iter, d.Digest, d.RulePriority, r.Priority)
				}
				if r.Priority != d.RulePriority {
					continue
				}
				if !r.selects(d.Image) || !slices.ContainsFunc(r.candidates(selection(r, images), now), func(c Image) bool { return c.Digest == d.Digest }) {
					t.Fatalf("iter %d: rule %d expired %s, which it does not select", iter, r.Priority, d.Digest)
				}
			}
		}
	}
}

// selection is the rule's selection, newest first, as Evaluate orders it.
func selection(r Rule, images []Image) []Image {
	var sel []Image
	sorted := slices.Clone(images)
	slices.SortStableFunc(sorted, func(a, b Image) int {
		if c := b.PushedAt.Compare(a.PushedAt); c != 0 {
			return c
		}
		if a.Digest > b.Digest {
			return -1
		}
		return 1
	})
	for _, im := range sorted {
		if r.selects(im) {
			sel = append(sel, im)
		}
	}
	return sel
}

func randomPolicy(rng *rand.Rand) Policy {
	var p Policy
	prio := 0
	for i := 0; i < 1+rng.Intn(4); i++ {
		prio += 1 + rng.Intn(3)
		r := Rule{Priority: prio, Action: ActionExpire, CountNumber: 1 + rng.Intn(4)}
		switch rng.Intn(3) {
		case 0:
			r.TagStatus, r.TagPatternList = Tagged, []string{[]string{"prod*", "*1*", "v*", "*"}[rng.Intn(4)]}
		case 1:
			r.TagStatus, r.TagPrefixList = Tagged, []string{[]string{"prod", "beta", "v", "dev"}[rng.Intn(4)]}
		default:
			r.TagStatus = Untagged
		}
		r.CountType = ImageCountMoreThan
		if rng.Intn(2) == 0 {
			r.CountType, r.CountUnit = SinceImagePushed, "days"
			r.CountNumber = rng.Intn(30) + 1
		}
		p.Rules = append(p.Rules, r)
	}
	if rng.Intn(2) == 0 {
		p.Rules = append(p.Rules, Rule{Priority: prio + 1, TagStatus: Any, CountType: ImageCountMoreThan, CountNumber: 1 + rng.Intn(3), Action: ActionExpire})
	}
	return p
}
