package dossier

import (
	"fmt"
	"strings"
)

// readme is README.txt: what the package holds and how to check it.
func readme(c *Contents) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "复核包：%s（%s，调查编号 %s）\n", c.Survey.Title, c.Survey.County, c.Survey.ID)
	fmt.Fprintf(&b, "生成时间 %s，renke %s；应答哈希链共 %d 条，链头 %s\n\n", c.Generated.UTC().Format("2006-01-02 15:04:05 UTC"),
		c.Version, c.Report.ChainLength, c.Report.ChainHead)
	b.WriteString(`本包收录计算已发布认可度所用的全部数据与设置，供评估人员在不依赖服务器的情况下复核：

  manifest.json    每个文件的 SHA-256 及签名公钥（Ed25519）和公钥指纹
  manifest.sig     服务器密钥对 manifest.json 的签名（base64）
  responses.jsonl  全部原始应答，按哈希链顺序，含 seq、prev_hash、hash，可离线重算哈希链
  audit.jsonl      本调查的审计记录（每条带其在审计链中的 seq 与哈希）
  settings.json    调查设置：问卷、计分方案、组权重、数据质量规则、人工复核决定及各项的哈希
  frame.json       抽样框
  plan.json        抽样方案及其随机种子（可据此重抽学校并核对访问码）
  codes.jsonl      访问码（只含码的 SHA-256，不能用于作答）及其学校、组别、配额
  replication.csv  复现文件（与“下载原始数据与权重”相同）
  codebook.csv     变量与取值说明
  results.json     已发布的完整结果
  results.csv      已发布的总体及各组估计（供 reproduce.R 比较）
  reproduce.R      只用 R 和 survey 包复算 results.csv 的脚本

复核方法：
  1. renke verify --package 本文件.zip [--fingerprint 指纹]
     检查签名、每个文件的哈希、应答哈希链、审计记录、设置、按种子重抽的方案，并重算全部结果。
     指纹应与归档报告（PDF）上印的签名密钥指纹一致，否则复核包可能被他人重新签名。
  2. 解压后运行  Rscript reproduce.R
     用 R 的 survey 包从 replication.csv 复算总体及各组认可度、标准误、自由度、置信区间和达标概率，
     与 results.csv 比较，差异超过 1e-9 即报错。

个人信息：地址只以服务器密钥下的哈希出现；设备编号按当前哈希链记录格式原样参与哈希。
`)
	fmt.Fprintf(&b, "\n签名密钥指纹：见 manifest.json 的 fingerprint。\n")
	return []byte(b.String())
}
