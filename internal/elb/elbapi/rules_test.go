package elbapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

func TestRules(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("web")
	tg := f.targetGroup("web-tg", 8080)
	api := f.targetGroup("api-tg", 9090)
	l := f.listener(*lb.LoadBalancerArn, *tg.TargetGroupArn)

	create := func(prio int32, conds []types.RuleCondition, actions []types.Action) (*elbv2.CreateRuleOutput, error) {
		return f.c.CreateRule(f.ctx, &elbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(prio), Conditions: conds, Actions: actions})
	}
	r10 := must(create(10, pathRule("/api/*"), forward(*api.TargetGroupArn))).Rules[0]
	if *r10.Priority != "10" || *r10.IsDefault || r10.Conditions[0].Values[0] != "/api/*" || r10.Conditions[0].PathPatternConfig.Values[0] != "/api/*" {
		t.Fatalf("rule %+v", r10)
	}
	weighted := []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
		TargetGroups:                []types.TargetGroupTuple{{TargetGroupArn: tg.TargetGroupArn, Weight: aws.Int32(3)}, {TargetGroupArn: api.TargetGroupArn, Weight: aws.Int32(1)}},
		TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(60)}}}}
	hostRule := []types.RuleCondition{{Field: aws.String("host-header"), Values: []string{"*.example.com"}},
		{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Env"), Values: []string{"canary"}}},
		{Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Key: aws.String("v"), Value: aws.String("2")}}}},
		{Field: aws.String("http-request-method"), HttpRequestMethodConfig: &types.HttpRequestMethodConditionConfig{Values: []string{"GET"}}},
		{Field: aws.String("source-ip"), SourceIpConfig: &types.SourceIpConditionConfig{Values: []string{"127.0.0.0/8"}}}}
	r5 := must(create(5, hostRule, weighted)).Rules[0]
	fc := r5.Actions[0].ForwardConfig
	if r5.Actions[0].TargetGroupArn != nil || len(fc.TargetGroups) != 2 || *fc.TargetGroups[0].Weight != 3 || !*fc.TargetGroupStickinessConfig.Enabled ||
		*fc.TargetGroupStickinessConfig.DurationSeconds != 60 || len(r5.Conditions) != 5 || *r5.Conditions[2].QueryStringConfig.Values[0].Key != "v" {
		t.Fatalf("weighted rule %+v", r5)
	}
	redirect := []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
		Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}}}
	r20 := must(create(20, pathRule("/old/*"), redirect)).Rules[0]
	if rc := r20.Actions[0].RedirectConfig; *rc.Host != "#{host}" || *rc.Path != "/#{path}" || *rc.Query != "#{query}" {
		t.Fatalf("redirect defaults %+v", rc)
	}

	// Describe: by priority, the default rule last.
	rules := must(f.c.DescribeRules(f.ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn})).Rules
	var order []string
	for _, r := range rules {
		order = append(order, *r.Priority)
	}
	if fmt.Sprint(order) != "[5 10 20 default]" || !*rules[3].IsDefault || *rules[3].Actions[0].TargetGroupArn != *tg.TargetGroupArn || len(rules[3].Conditions) != 0 {
		t.Fatalf("rules %v: %+v", order, rules[3])
	}
	byARN := must(f.c.DescribeRules(f.ctx, &elbv2.DescribeRulesInput{RuleArns: []string{*rules[3].RuleArn, *r10.RuleArn}})).Rules
	if len(byARN) != 2 || !*byARN[0].IsDefault || *byARN[1].Priority != "10" {
		t.Fatalf("by ARN %+v", byARN)
	}
	paged := must(f.c.DescribeRules(f.ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn, PageSize: aws.Int32(3)}))
	next := must(f.c.DescribeRules(f.ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn, PageSize: aws.Int32(3), Marker: paged.NextMarker}))
	if len(paged.Rules) != 3 || len(next.Rules) != 1 || next.NextMarker != nil || !*next.Rules[0].IsDefault {
		t.Fatalf("pages %d %d", len(paged.Rules), len(next.Rules))
	}

	// Errors.
	_, err := create(10, pathRule("/x"), forward(*api.TargetGroupArn))
	wantErr(t, err, "PriorityInUse", "Priority '10' is currently in use")
	_, err = create(0, pathRule("/x"), forward(*api.TargetGroupArn))
	wantErr(t, err, "ValidationError", "greater than or equal to 1")
	_, err = create(50001, pathRule("/x"), forward(*api.TargetGroupArn))
	wantErr(t, err, "ValidationError", "less than or equal to 50000")
	_, err = create(30, []types.RuleCondition{}, forward(*api.TargetGroupArn))
	wantErr(t, err, "ValidationError", "condition")
	_, err = create(30, append(pathRule("/a"), pathRule("/b")...), forward(*api.TargetGroupArn))
	wantErr(t, err, "ValidationError", "only have one 'path-pattern'")
	_, err = create(30, pathRule("/x"), append(forward(*api.TargetGroupArn), redirect...))
	wantErr(t, err, "InvalidLoadBalancerAction", "must be the last action")
	_, err = create(30, []types.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{RegexValues: []string{"^/a$"}}}}, forward(*api.TargetGroupArn))
	wantErr(t, err, "ValidationError", "regular expression")
	_, err = f.c.DescribeRules(f.ctx, &elbv2.DescribeRulesInput{RuleArns: []string{*r10.RuleArn + "0"}})
	wantErr(t, err, "RuleNotFound", "One or more rules not found")

	// Modify conditions and actions; the default rule's actions too.
	mod := must(f.c.ModifyRule(f.ctx, &elbv2.ModifyRuleInput{RuleArn: r10.RuleArn, Conditions: pathRule("/v2/*")})).Rules[0]
	if mod.Conditions[0].Values[0] != "/v2/*" || *mod.Actions[0].TargetGroupArn != *api.TargetGroupArn {
		t.Fatalf("modified %+v", mod)
	}
	def := must(f.c.ModifyRule(f.ctx, &elbv2.ModifyRuleInput{RuleArn: rules[3].RuleArn, Actions: forward(*api.TargetGroupArn)})).Rules[0]
	if !*def.IsDefault || *def.Actions[0].TargetGroupArn != *api.TargetGroupArn {
		t.Fatalf("default %+v", def)
	}
	if ls := must(f.c.DescribeListeners(f.ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{*l.ListenerArn}})); *ls.Listeners[0].DefaultActions[0].TargetGroupArn != *api.TargetGroupArn {
		t.Fatal("the default rule's actions are the listener's default actions")
	}
	_, err = f.c.ModifyRule(f.ctx, &elbv2.ModifyRuleInput{RuleArn: rules[3].RuleArn, Conditions: pathRule("/x")})
	wantErr(t, err, "OperationNotPermitted", "default rule")

	// Priorities are swapped in one step.
	set := must(f.c.SetRulePriorities(f.ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: r5.RuleArn, Priority: aws.Int32(10)}, {RuleArn: r10.RuleArn, Priority: aws.Int32(5)}}})).Rules
	if len(set) != 2 || *set[0].RuleArn != *r10.RuleArn || *set[0].Priority != "5" {
		t.Fatalf("set %+v", set)
	}
	_, err = f.c.SetRulePriorities(f.ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: r5.RuleArn, Priority: aws.Int32(20)}}})
	wantErr(t, err, "PriorityInUse", "Priority '20' is currently in use")
	_, err = f.c.SetRulePriorities(f.ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: rules[3].RuleArn, Priority: aws.Int32(7)}}})
	wantErr(t, err, "OperationNotPermitted", "default rule")

	// A target group a rule uses cannot be deleted; the rule can.
	_, err = f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
	wantErr(t, err, "ResourceInUse", "in use by a listener or a rule")
	_, err = f.c.DeleteRule(f.ctx, &elbv2.DeleteRuleInput{RuleArn: rules[3].RuleArn})
	wantErr(t, err, "OperationNotPermitted", "cannot be deleted")
	must(f.c.DeleteRule(f.ctx, &elbv2.DeleteRuleInput{RuleArn: r5.RuleArn}))
	_, err = f.c.DeleteRule(f.ctx, &elbv2.DeleteRuleInput{RuleArn: r5.RuleArn})
	wantErr(t, err, "RuleNotFound", "")
	must(f.c.DeleteTargetGroup(f.ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn}))
}

func TestRuleLimit(t *testing.T) {
	f := newFixture(t)
	lb := f.loadBalancer("many")
	tg := f.targetGroup("many-tg", 80)
	l := f.listener(*lb.LoadBalancerArn, *tg.TargetGroupArn)
	for i := range 100 {
		must(f.c.CreateRule(f.ctx, &elbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(int32(i + 1)),
			Conditions: pathRule(fmt.Sprintf("/p%d", i)), Actions: forward(*tg.TargetGroupArn)}))
	}
	_, err := f.c.CreateRule(f.ctx, &elbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(101),
		Conditions: pathRule("/last"), Actions: forward(*tg.TargetGroupArn)})
	wantErr(t, err, "TooManyRules", "maximum number of rules (100)")
	if !strings.Contains(*l.ListenerArn, "/many/") {
		t.Fatal(*l.ListenerArn)
	}
}
