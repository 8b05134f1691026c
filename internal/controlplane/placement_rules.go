package controlplane

import (
	"math/rand/v2"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/cql"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
)

// rules are the placement constraints and strategies of a request: the
// task definition's constraints and the call's.
type rules struct {
	memberOf []*cql.Expr
	distinct bool
	strategy []ecs.PlacementStrategy
}

func newRules(req ecsapi.PlacementRequest) (rules, error) {
	var r rules
	for _, c := range append(append([]ecs.PlacementConstraint(nil), req.TaskDefinition.PlacementConstraints...), req.Constraints...) {
		switch c.Type {
		case ecs.PlacementConstraintDistinctInstance:
			r.distinct = true
		case ecs.PlacementConstraintMemberOf, "": // a task definition's constraints are all memberOf
			e, err := ecs.ParseMemberOf(c.Expression)
			if err != nil {
				return rules{}, err
			}
			r.memberOf = append(r.memberOf, e)
		}
	}
	r.strategy = req.Strategy
	return r, nil
}

// needsTasks reports whether the rules look at the tasks on instances.
func (r rules) needsTasks() bool {
	return r.distinct || len(r.memberOf) > 0 || len(r.strategy) > 0
}

// admits reports whether the instance meets every constraint for a task
// of the group.
func (r rules) admits(c *candidate, group string) bool {
	if r.distinct && c.groups[group] > 0 {
		return false
	}
	if len(r.memberOf) == 0 {
		return true
	}
	in := c.view()
	for _, e := range r.memberOf {
		if !e.Match(in) {
			return false
		}
	}
	return true
}

// Checks in the order an instance passes them; a failure names the
// instance that passed the most, as ECS names the closest.
const (
	stageAgent = iota
	stageConstraints
	stageResources
)

// choose picks the instance for one task, or says why none fits.
func (p Placer) choose(cands []*candidate, d demand, group string, r rules) (*candidate, ecsapi.PlacementFailure) {
	var fits []*candidate
	var fail ecsapi.PlacementFailure
	reached := -1
	miss := func(c *candidate, stage int, reason string) {
		if stage > reached {
			reached, fail = stage, ecsapi.PlacementFailure{ARN: c.ci.ARN, Reason: reason}
		}
	}
	for _, c := range cands {
		switch {
		case !c.ci.AgentConnected:
			miss(c, stageAgent, "AGENT")
		case !r.admits(c, group):
			miss(c, stageConstraints, "ATTRIBUTE")
		case c.memory < d.memory:
			miss(c, stageResources, "RESOURCE:MEMORY")
		case c.cpu < d.cpu:
			miss(c, stageResources, "RESOURCE:CPU")
		case portsTaken(c.ports, d.ports):
			miss(c, stageResources, "RESOURCE:PORTS")
		default:
			fits = append(fits, c)
		}
	}
	if len(fits) == 0 {
		return nil, fail
	}
	return p.pick(fits, cands, group, r.strategy), ecsapi.PlacementFailure{}
}

// pick applies the strategies in order, each keeping the instances it
// likes best among those the one before kept; the first left wins. With
// no strategy it takes the instance with the most memory left.
func (p Placer) pick(fits, all []*candidate, group string, strategy []ecs.PlacementStrategy) *candidate {
	if len(strategy) == 0 {
		return best(fits, func(c *candidate) int { return -c.memory })[0]
	}
	for _, s := range strategy {
		if len(fits) < 2 {
			break
		}
		switch s.Type {
		case ecs.PlacementBinpack:
			if strings.EqualFold(s.Field, "cpu") {
				fits = best(fits, func(c *candidate) int { return c.cpu })
			} else {
				fits = best(fits, func(c *candidate) int { return c.memory })
			}
		case ecs.PlacementSpread:
			fits = best(fits, spreadLoad(all, group, s.Field))
		case ecs.PlacementRandom:
			fits = []*candidate{fits[p.intn(len(fits))]}
		}
	}
	return fits[0]
}

func (p Placer) intn(n int) int {
	if p.Intn != nil {
		return p.Intn(n)
	}
	return rand.IntN(n)
}

// spreadLoad scores an instance for a spread strategy: the tasks of the
// group already on it (instanceId, host) or on every instance sharing its
// value of the attribute (attribute:<name>; instances without the
// attribute share the empty value).
func spreadLoad(all []*candidate, group, field string) func(*candidate) int {
	if ecs.SpreadsOverInstances(field) {
		return func(c *candidate) int { return c.groups[group] }
	}
	name, ok := ecs.SpreadAttribute(field)
	if !ok {
		return func(*candidate) int { return 0 }
	}
	load := map[string]int{}
	for _, c := range all {
		load[c.attrs[name]] += c.groups[group]
	}
	return func(c *candidate) int { return load[c.attrs[name]] }
}

// best keeps the instances with the lowest score, in their order.
func best(cs []*candidate, score func(*candidate) int) []*candidate {
	var out []*candidate
	low := 0
	for _, c := range cs {
		switch s := score(c); {
		case len(out) == 0 || s < low:
			out, low = []*candidate{c}, s
		case s == low:
			out = append(out, c)
		}
	}
	return out
}
