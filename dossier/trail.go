package dossier

import (
	"fmt"
	"sort"

	"renke/account"
)

// trailHashes are the setting hashes the audit trail carries (each entry's
// Settings, stamped by the server from the stored setting), newest entry
// winning, with the audit seq that carries each. This is the one place that
// reads them.
func trailHashes(audit []account.Entry) map[string]trailHash {
	out := map[string]trailHash{}
	for i := range audit {
		for name, h := range audit[i].Settings {
			out[name] = trailHash{h, audit[i].Seq}
		}
	}
	return out
}

// trailHash is a setting's hash as an audit entry records it.
type trailHash struct {
	sha256 string
	seq    int64
}

// checkTrail compares each setting's hash with the newest audit entry that
// records one for it; settings the trail says nothing about are listed.
func checkTrail(res *Result, c *Contents, hashes map[string]string) {
	recorded := trailHashes(c.Audit)
	var unrecorded []string
	for name, h := range hashes {
		t, ok := recorded[name]
		if !ok {
			unrecorded = append(unrecorded, name)
			continue
		}
		if t.sha256 != h {
			res.fail("%s：%s 的哈希 %s 与审计记录 seq %d 所记 %s 不符（设置在审计之外被改动）", FileSettings, name, h, t.seq, t.sha256)
		}
	}
	sort.Strings(unrecorded)
	if len(unrecorded) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("审计记录未载明以下设置的哈希，无法与之核对：%v", unrecorded))
	}
}
