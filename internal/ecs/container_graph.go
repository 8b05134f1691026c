package ecs

import "strings"

// dependencyCycles rejects dependsOn graphs with a cycle (a container
// depending on itself included): such a task could never start.
func (v *tdValidator) dependencyCycles() error {
	edges := func(c *ContainerDefinition) []string {
		out := make([]string, len(c.DependsOn))
		for i, d := range c.DependsOn {
			out[i] = d.ContainerName
		}
		return out
	}
	if hasCycle(v.td.ContainerDefinitions, edges) {
		// message not confirmed (written like ECS's links message)
		return clientErr("Container dependencies should not have a cycle")
	}
	return nil
}

// linkCycles rejects links that form a cycle, as ECS does.
func (v *tdValidator) linkCycles() error {
	edges := func(c *ContainerDefinition) []string {
		out := make([]string, len(c.Links))
		for i, l := range c.Links {
			out[i], _, _ = strings.Cut(l, ":")
		}
		return out
	}
	if hasCycle(v.td.ContainerDefinitions, edges) {
		return clientErr("Container links should not have a cycle")
	}
	return nil
}

// hasCycle reports whether the graph whose nodes are the containers and
// whose edges are given by edges has a cycle. Edges to unknown containers
// are ignored.
func hasCycle(cs []ContainerDefinition, edges func(*ContainerDefinition) []string) bool {
	const (
		unvisited = iota
		visiting
		done
	)
	index := make(map[string]int, len(cs))
	for i := range cs {
		index[cs[i].Name] = i
	}
	state := make([]int, len(cs))
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = visiting
		for _, name := range edges(&cs[i]) {
			j, ok := index[name]
			if !ok {
				continue
			}
			if state[j] == visiting || state[j] == unvisited && visit(j) {
				return true
			}
		}
		state[i] = done
		return false
	}
	for i := range cs {
		if state[i] == unvisited && visit(i) {
			return true
		}
	}
	return false
}

// StartOrder returns the containers' names in an order that respects
// dependsOn (dependencies first) and, among independent containers, the
// order of the task definition. It assumes the graph has no cycle, as a
// validated task definition's does.
func (td *TaskDefinition) StartOrder() []string {
	index := make(map[string]int, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		index[td.ContainerDefinitions[i].Name] = i
	}
	placed := make([]bool, len(td.ContainerDefinitions))
	var order []string
	var place func(i int, depth int)
	place = func(i, depth int) {
		if placed[i] || depth > len(td.ContainerDefinitions) {
			return
		}
		for _, d := range td.ContainerDefinitions[i].DependsOn {
			if j, ok := index[d.ContainerName]; ok {
				place(j, depth+1)
			}
		}
		if !placed[i] {
			placed[i] = true
			order = append(order, td.ContainerDefinitions[i].Name)
		}
	}
	for i := range td.ContainerDefinitions {
		place(i, 0)
	}
	return order
}
