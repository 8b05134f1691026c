package ecs

// Attachment is something attached to a task, container instance or
// cluster; for awsvpc tasks, the elastic network interface.
type Attachment struct {
	ID      string         `json:"id"`
	Type    string         `json:"type"`
	Status  string         `json:"status"`
	Details []KeyValuePair `json:"details,omitempty"`
}

// Detail returns the value of the named detail.
func (a *Attachment) Detail(name string) (string, bool) {
	for _, d := range a.Details {
		if d.Name == name {
			return d.Value, true
		}
	}
	return "", false
}

// AttachmentTypeENI is the type of a task's network interface attachment.
const AttachmentTypeENI = "ElasticNetworkInterface"

// Attachment statuses.
const (
	AttachmentPrecreated = "PRECREATED"
	AttachmentCreated    = "CREATED"
	AttachmentAttaching  = "ATTACHING"
	AttachmentAttached   = "ATTACHED"
	AttachmentDetaching  = "DETACHING"
	AttachmentDetached   = "DETACHED"
	AttachmentDeleted    = "DELETED"
	AttachmentFailed     = "FAILED"
)

// ENI detail names, as ECS lists them in an ElasticNetworkInterface
// attachment.
const (
	DetailSubnetID           = "subnetId"
	DetailNetworkInterfaceID = "networkInterfaceId"
	DetailMACAddress         = "macAddress"
	DetailPrivateDNSName     = "privateDnsName"
	DetailPrivateIPv4Address = "privateIPv4Address"
	DetailIPv6Address        = "ipv6Address"
)

// ElasticNetworkInterface is the network interface of an awsvpc task.
type ElasticNetworkInterface struct {
	SubnetID           string `json:"subnetId,omitempty"`
	NetworkInterfaceID string `json:"networkInterfaceId,omitempty"`
	MACAddress         string `json:"macAddress,omitempty"`
	PrivateDNSName     string `json:"privateDnsName,omitempty"`
	PrivateIPv4Address string `json:"privateIPv4Address,omitempty"`
	IPv6Address        string `json:"ipv6Address,omitempty"`
}

// Attachment returns the ENI as a task attachment with the given ID and
// status, with its details in ECS's order.
func (e ElasticNetworkInterface) Attachment(id, status string) Attachment {
	a := Attachment{ID: id, Type: AttachmentTypeENI, Status: status}
	add := func(name, value string) {
		if value != "" {
			a.Details = append(a.Details, KeyValuePair{Name: name, Value: value})
		}
	}
	add(DetailSubnetID, e.SubnetID)
	add(DetailNetworkInterfaceID, e.NetworkInterfaceID)
	add(DetailMACAddress, e.MACAddress)
	add(DetailPrivateDNSName, e.PrivateDNSName)
	add(DetailPrivateIPv4Address, e.PrivateIPv4Address)
	add(DetailIPv6Address, e.IPv6Address)
	return a
}

// ENIFromAttachment reads an ENI back from its attachment details.
func ENIFromAttachment(a Attachment) ElasticNetworkInterface {
	var e ElasticNetworkInterface
	for _, d := range a.Details {
		switch d.Name {
		case DetailSubnetID:
			e.SubnetID = d.Value
		case DetailNetworkInterfaceID:
			e.NetworkInterfaceID = d.Value
		case DetailMACAddress:
			e.MACAddress = d.Value
		case DetailPrivateDNSName:
			e.PrivateDNSName = d.Value
		case DetailPrivateIPv4Address:
			e.PrivateIPv4Address = d.Value
		case DetailIPv6Address:
			e.IPv6Address = d.Value
		}
	}
	return e
}

// Attribute is a name-value pair on an ECS resource, such as a container
// instance capability (ecs.capability.task-eni) or a custom attribute.
type Attribute struct {
	Name       string `json:"name"`
	Value      string `json:"value,omitempty"`
	TargetType string `json:"targetType,omitempty"` // "container-instance"
	TargetID   string `json:"targetId,omitempty"`
}

// MaxCustomAttributes is the most custom attributes a resource may have.
const MaxCustomAttributes = 10
