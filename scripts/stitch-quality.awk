# stitch-quality.awk: how well jt-stitch found the persons of a jt-gen world.
#
#   awk -F, -f scripts/stitch-quality.awk WORLD/truth/records.csv \
#       WORLD/truth/persons.csv WORLD/truth/identifiers.csv stitched.csv \
#       [links.csv]
#
# links.csv, the ingested account table given to jt-stitch --links, also
# links identifiers for the ceiling below (each row its account owner's).
# stitched.csv is jt-stitch output with the columns source, record, person
# and the id_* columns (found by name).  Prints, over the event records:
#   b3_precision, b3_recall           B-cubed, per record
#   pairwise_precision, pairwise_recall  over pairs of records
#   b3_recall_ceiling,                the recall of the best any stitcher
#   pairwise_recall_ceiling           can do: each true person split where
#                                     its own identifiers do not link its
#                                     records (junk values aside), no
#                                     record of anyone else added
#   reachable_recall                  B-cubed recall against that best: the
#                                     part of what the identifiers link
#                                     that the stitcher linked
#   household_pairs_merged            households whose two accounts ended in
#                                     one person (the anonymous events of
#                                     their shared computer are split by
#                                     time, and may go either way)
#   junk_links                        persons formed by records of several
#                                     true persons sharing a junk value
# The field separator must be ',' and the projected columns must not hold
# quoted commas (true of jt's output for these columns).
FNR == 1 { file++ }
file == 1 && FNR > 1 { truth[$1 SUBSEP $2] = $4; next }
file == 2 && FNR > 1 { if ($2 != "") partner[$1] = $2; next }
file == 3 && FNR > 1 {
	if ($4 == "junk") junk[$1 SUBSEP $2] = 1
	else owner[$1 SUBSEP $2] = $3
	next
}
file == 4 && FNR == 1 {
	for (i = 1; i <= NF; i++) {
		col[$i] = i
		if ($i ~ /^id_/) { idcol[++nid] = i; idname[nid] = $i }
	}
	next
}
file == 4 {
	t = truth[$(col["source"]) SUBSEP $(col["record"])]
	if (t == "") { missing++; next }
	c = $(col["person"])
	if (c == "") c = "(none)" NR
	n++
	rc[n] = c; rt[n] = t
	nc[c]++; nt[t]++; nct[c SUBSEP t]++
	if ("id_user" in col && $(col["id_user"]) != "")
		acct[c SUBSEP t] = 1
	# the person's own identifiers, junk aside, link its records
	first = ""
	for (k = 1; k <= nid; k++) {
		v = $(idcol[k])
		if (v == "") continue
		if ((idname[k] SUBSEP v) in junk) { jrec[n] = 1; continue }
		node = t SUBSEP idname[k] SUBSEP v
		if (!(node in up)) up[node] = node
		if (first == "") first = node
		else union(first, node)
	}
	rnode[n] = first == "" ? "(alone)" NR : first
	next
}
file == 5 && FNR == 1 {
	nl = 0
	for (i = 1; i <= NF; i++) if ($i ~ /^id_/) { lcol[++nl] = i; lname[nl] = $i }
	next
}
file == 5 {
	# a link row is its account owner's; only identifiers seen on events
	# matter (a node no record has links nothing)
	t = ""
	for (k = 1; k <= nl; k++)
		if ((lname[k] SUBSEP $(lcol[k])) in owner) { t = owner[lname[k] SUBSEP $(lcol[k])]; break }
	if (t == "") next
	first = ""
	for (k = 1; k <= nl; k++) {
		v = $(lcol[k])
		node = t SUBSEP lname[k] SUBSEP v
		if (v == "" || !(node in up)) continue
		if (first == "") first = node
		else union(first, node)
	}
	next
}
function find(x) { while (up[x] != x) { up[x] = up[up[x]]; x = up[x] } return x }
function union(a, b) { a = find(a); b = find(b); if (a != b) up[a] = b }
END {
	for (i = 1; i <= n; i++) {
		r = rnode[i] in up ? find(rnode[i]) : rnode[i]
		rr[i] = r; nr[r]++; nrc[r SUBSEP rc[i]]++
	}
	for (i = 1; i <= n; i++) {
		p += nct[rc[i] SUBSEP rt[i]] / nc[rc[i]]
		q += nct[rc[i] SUBSEP rt[i]] / nt[rt[i]]
		# reachable: the part of the record's linked set it ended in
		s += nrc[rr[i] SUBSEP rc[i]] / nr[rr[i]]
		ceil += nr[rr[i]] / nt[rt[i]]
	}
	for (k in nr) pr += nr[k] * (nr[k] - 1) / 2
	for (k in nct) { split(k, a, SUBSEP); both += nct[k] * (nct[k] - 1) / 2 }
	for (k in nc) pc += nc[k] * (nc[k] - 1) / 2
	for (k in nt) pt += nt[k] * (nt[k] - 1) / 2
	# households merged: one person holding both accounts' records
	for (k in acct) { split(k, a, SUBSEP); holds[a[2]] = holds[a[2]] " " a[1] " " }
	for (pa in partner) {
		pb = partner[pa]
		if (pa > pb || !(pa in holds) || !(pb in holds)) continue
		nh = split(holds[pa], a, " ")
		merged = 0
		for (j = 1; j <= nh; j++)
			if (a[j] != "" && index(holds[pb], " " a[j] " ")) merged = 1
		hh += merged
		households++
	}
	for (i = 1; i <= n; i++)
		if (jrec[i]) { jk = rc[i]; if (!((jk SUBSEP rt[i]) in jseen)) { jseen[jk SUBSEP rt[i]] = 1; jn[jk]++ } }
	for (k in jn) if (jn[k] > 1) jl++
	printf "records %d\n", n
	printf "b3_precision %.4f\nb3_recall %.4f\n", p / n, q / n
	printf "pairwise_precision %.4f\npairwise_recall %.4f\n", pc ? both / pc : 1, pt ? both / pt : 1
	printf "b3_recall_ceiling %.4f\npairwise_recall_ceiling %.4f\n", ceil / n, pt ? pr / pt : 1
	printf "reachable_recall %.4f\n", s / n
	printf "household_pairs_merged %d\nhousehold_pairs %d\njunk_links %d\n", hh, households, jl + 0
	if (missing) printf "records_not_in_truth %d\n", missing
}
