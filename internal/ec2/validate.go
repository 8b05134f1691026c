package ec2

import (
	"fmt"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
)

// LocalSubnet is the placeholder subnet ID Quayside's early docs used in
// awsvpcConfiguration. Validate accepts it as the default subnet of the
// region's first availability zone.
const LocalSubnet = "subnet-local"

// Validate checks the subnets and security groups of an ECS
// awsvpcConfiguration against the scope's VPCs, in the caller's read
// transaction, and returns the availability zone of each subnet. Its
// errors are ECS InvalidParameterException errors (kind
// ecs.ErrInvalidParameter) with ECS's messages, such as
//
//	Error retrieving subnet information for [subnet-x]: The subnet ID 'subnet-x' does not exist (ErrorCode: InvalidSubnetID.NotFound)
//
// Security groups must belong to the subnets' VPC.
func Validate(tx store.ReadTx, region, account string, subnets, securityGroups []string) (map[string]string, error) {
	st, err := load(tx, Scope{Region: region, Account: account})
	if err != nil {
		return nil, err
	}
	az := map[string]string{}
	vpc := ""
	for _, id := range subnets {
		if id == LocalSubnet {
			az[id] = Zones(region)[0].Name
			if v, ok := st.defaultVpc(); ok && vpc == "" {
				vpc = v.ID
			}
			continue
		}
		sn, ok := st.subnet(id)
		if !ok {
			return nil, fault.Newf(ecs.ErrInvalidParameter,
				"Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
				strings.Join(subnets, ", "), id)
		}
		az[id] = sn.AvailabilityZone
		if vpc == "" {
			vpc = sn.VpcID
		}
	}
	for _, id := range securityGroups {
		g, ok := st.group(id)
		if !ok {
			return nil, fault.Newf(ecs.ErrInvalidParameter,
				"Error retrieving security group information for [%s]: The security group '%s' does not exist (ErrorCode: InvalidGroup.NotFound)",
				strings.Join(securityGroups, ", "), id)
		}
		if vpc != "" && g.VpcID != vpc {
			return nil, fault.New(ecs.ErrInvalidParameter,
				fmt.Sprintf("Security group %s does not appear to belong to the same VPC as the input subnets.", id))
		}
	}
	return az, nil
}
