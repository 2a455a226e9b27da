/*
 * gen_doc: a world's README, ingest.sh and jt-nightly.conf (gen_doc.h).
 *
 * The ingest commands here are the reference for reading each silo: the
 * tests run this very script and compare its output with the truth.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "gen_doc.h"
#include "ts.h"

/* The script's head; the exports' paths and one command per silo follow. */
static const char ingest_head[] =
    "#!/bin/sh\n"
    "# ingest.sh: every silo export of this jt-gen world to events of\n"
    "# jt-events(5), one CSV per silo, with the options each one needs.\n"
    "#\n"
    "# usage: sh ingest.sh [OUTDIR]     (default: events/ next to this "
    "script)\n"
    "# JT_INGEST names the jt-ingest to run (default: jt-ingest on the "
    "PATH).\n"
    "set -eu\n"
    "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
    "out=${1:-$here/events}\n"
    "ingest=${JT_INGEST:-jt-ingest}\n"
    "mkdir -p \"$out\"\n"
    "\n";

/*
 * How each silo is read, in gen_silos order: a comment, the name of its
 * events file, the shell variable ingest.sh keeps its path in, and the
 * jt-ingest options (lines joined by " \\\n    ", as both files print
 * them).  ingest.sh and jt-nightly.conf are both made from this table, so
 * the two cannot disagree.
 */
static const struct silo_read {
	const char *comment, *name, *var, *opts;
	int links; /* identity links for jt-stitch --links, not events */
} reads[SILO_N] = {
	{ "# The web tag: JSON lines, ISO times in UTC, utm parameters parsed "
	  "into\n"
	  "# context.campaign; the built-in grouping derives the channel, and "
	  "hits\n"
	  "# whose referrer is the shop itself get none (internal "
	  "navigation).\n",
	    "web", "web",
	    "-f jsonl --channels web --site shop.example --source web "
	    "--keep '' \\\n"
	    "    --map ts=timestamp,id_cookie=anonymousId,id_user=userId,"
	    "id_email=context.traits.email \\\n"
	    "    --map event=event,value=properties.revenue,record=messageId \\\n"
	    "    --map url=context.page.url,referrer=context.page.referrer \\\n"
	    "    --map utm_source=context.campaign.source,utm_medium=context."
	    "campaign.medium \\\n"
	    "    --map utm_campaign=context.campaign.name",
	    0 },
	{ "# The app gateway: an access log with the account in the user field, "
	  "the\n"
	  "# device and app version in the user agent, a request id at the end "
	  "and\n"
	  "# times with the gateway's own UTC offset.\n",
	    "app", "app",
	    "-f regex --source app --set channel=app --keep "
	    "app_version,record \\\n"
	    "    --regex '^\\S+ \\S+ (?<id_user>\\S+) \\[(?<ts>[^]]+)\\] "
	    "\"[A-Z]+ /api/v2/(?<event>[a-z]+)\\S*?(?:\\?total=(?<value>[0-9.]+))? "
	    "[^\"]*\" \\d+ \\d+ \"[^\"]*\" \"ShopApp/(?<app_version>[0-9.]+) "
	    "\\([^;]*; device (?<id_device>[0-9A-F-]+)\\)\" (?<record>\\S+)$' \\\n"
	    "    --ts-format '%d/%b/%Y:%H:%M:%S %z'",
	    0 },
	{ "# The e-mail platform: epoch seconds, addresses as typed at sign-up.\n",
	    "email", "esp",
	    "--source email --set channel=email --keep '' \\\n"
	    "    --map 'ts=Event Time,id_email=Email Address,event=Event Type' \\\n"
	    "    --map 'record=Event ID,campaign=Campaign'",
	    0 },
	{ "# The call center: semicolons, CRLF, a byte order mark, 12-hour local "
	  "times\n"
	  "# in New York and caller numbers written every which way.\n",
	    "calls", "calls",
	    "-d ';' --source call_center --set channel=call_center "
	    "--keep '' \\\n"
	    "    --tz America/New_York --ts-format '%m/%d/%Y %I:%M:%S %p' "
	    "--phone-country 1 \\\n"
	    "    --map 'ts=Start (local),id_phone=Caller,id_user=Account,"
	    "event=Disposition' \\\n"
	    "    --map 'value=Order Amount,record=Call ID,reason=Reason,queue=Queue,"
	    "agent=Agent'",
	    0 },
	{ "# The chat desk: epoch milliseconds.\n", "chat", "chat",
	    "--source chat --set channel=chat,event=chat --keep '' \\\n"
	    "    --map ts=started_ms,id_email=visitor_email,id_user=user_id,"
	    "record=chat_id \\\n"
	    "    --map topic=topic,resolved=resolved",
	    0 },
	{ "# The stores' tills: tab-separated, local times in Chicago.\n", "store",
	    "pos",
	    "-f tsv --source store --set channel=store,event=purchase "
	    "--keep '' \\\n"
	    "    --tz America/Chicago \\\n"
	    "    --map ts=local_time,id_loyalty=loyalty_card,id_email=email,"
	    "value=total,record=receipt,store=store",
	    0 },
	{ "# The account database: not events but the links between an account "
	  "and its\n"
	  "# e-mail, phone and loyalty card (give it to jt-stitch with --links).\n",
	    "crm", "crm",
	    "--source crm --set event=account --keep '' --phone-country 1 "
	    "\\\n"
	    "    --map ts=created_at,id_user=account_id,id_email=email,id_phone=phone,"
	    "id_loyalty=loyalty_card \\\n"
	    "    --map record=account_id,marketing_opt_in=marketing_opt_in",
	    1 },
};

/* An export's file name in the world's folder. */
static void
put_export(struct io_out *o, int silo, int gz)
{
	io_puts(o, gen_silos[silo].file);
	if (gz)
		io_puts(o, ".gz");
}

void
gen_write_ingest_sh(struct io_out *o, int gz)
{
	io_puts(o, ingest_head);
	io_puts(o, "# The exports (jt-ingest reads them gzipped or not).\n");
	for (int s = 0; s < SILO_N; s++) {
		io_puts(o, reads[s].var);
		io_puts(o, "=\"$here/");
		put_export(o, s, gz);
		io_puts(o, "\"\n");
	}
	for (int s = 0; s < SILO_N; s++) {
		const struct silo_read *r = &reads[s];
		io_puts(o, "\n");
		io_puts(o, r->comment);
		io_puts(o, "\"$ingest\" ");
		io_puts(o, r->opts);
		io_puts(o, " \\\n    -o \"$out/");
		io_puts(o, r->name);
		io_puts(o, ".csv\" \"$");
		io_puts(o, r->var);
		io_puts(o, "\"\n");
	}
}

void
gen_write_nightly_conf(struct io_out *o, int gz)
{
	io_puts(o,
	    "# jt-nightly.conf: how jt-nightly(1) reads this world's exports.\n"
	    "#   events NAME FILE OPTIONS   a silo export, read by jt-ingest "
	    "OPTIONS\n"
	    "#   links NAME FILE OPTIONS    identity links, given to jt-stitch "
	    "--links\n"
	    "#   TOOL OPTIONS               more options for a step (stitch, "
	    "journey,\n"
	    "#                              attribute, friction)\n"
	    "# Words are quoted as in sh; a line ending in \\ goes on.\n"
	    "\n"
	    "# Friction by silo (where it happens, not which campaign brought "
	    "the\n"
	    "# visit), slow steps per app version, and the shop's funnel on the "
	    "web\n"
	    "# (page_view ...) and in the app (products ...); the default "
	    "conversions\n"
	    "# (purchase, order) fit.\n"
	    "friction --channel-by source --slow-by app_version\n"
	    "friction --funnel 'view=^(page_view|products)$,"
	    "cart=^(add_to_cart|cart)$,checkout=^checkout$,"
	    "purchase=^(purchase|order)$'\n");
	for (int s = 0; s < SILO_N; s++) {
		const struct silo_read *r = &reads[s];
		io_puts(o, "\n");
		io_puts(o, r->comment);
		io_puts(o, r->links ? "links " : "events ");
		io_puts(o, r->name);
		io_puts(o, " ");
		put_export(o, s, gz);
		io_puts(o, " ");
		io_puts(o, r->opts);
		io_puts(o, "\n");
	}
}

static void
money(struct buf *b, uint64_t cents)
{
	buf_printf(b, "%llu.%02llu", (unsigned long long)(cents / 100),
	    (unsigned long long)(cents % 100));
}

void
gen_write_readme(struct io_out *o, const struct gen_world *w,
    const struct gen_totals *t, int gz)
{
	struct buf b = { 0 };
	char start[TS_FORMAT_LEN + 1];

	ts_format(w->p.start_ms, start);
	start[10] = '\0';
	buf_printf(&b,
	    "A synthetic world made by jt-gen\n"
	    "================================\n\n"
	    "jt-gen --persons %u --seed %llu --days %u --start %s%s\n\n"
	    "The same command writes the same bytes on any machine.  %llu "
	    "persons\n"
	    "(%llu households sharing a computer) made %llu touches over %u "
	    "days\n"
	    "and %llu conversions worth ",
	    w->p.persons, (unsigned long long)w->p.seed, w->p.days, start,
	    gz ? " --gzip" : "", (unsigned long long)t->persons,
	    (unsigned long long)t->households, (unsigned long long)t->touches,
	    w->p.days, (unsigned long long)t->conversions);
	money(&b, t->revenue_cents);
	buf_adds(&b,
	    ".  Everything is invented: the shop is shop.example and\n"
	    "the mailboxes are under .example.\n\n");

	buf_adds(&b,
	    "Silo exports (each in its silo's own format)\n"
	    "--------------------------------------------\n\n");
	static const char *const what[] = {
		"the web tag, JSON lines in the order received (late mobile "
		"hits "
		"sit\n  where they arrived): messageId, type, event, "
		"anonymousId "
		"(cookie),\n  userId (after sign-in, else null), timestamp and "
		"receivedAt (UTC ISO),\n  context.page.url/referrer, "
		"context.campaign (utm), context.traits.email\n  (as typed at "
		"sign-in, at guest checkout or from\n  an e-mail link), "
		"properties.revenue and order_id.\n"
		"  Events: page_view, login_page, login, add_to_cart, "
		"checkout,\n"
		"  checkout_error, purchase.",
		"the app gateway's access log (combined format plus a request "
		"id):"
		"\n  the account in the user field, the device id and app "
		"version "
		"in the\n  user agent, times with the Chicago offset "
		"(-0500/-0600),"
		" whole seconds.\n  Requests /api/v2/session, products, cart, "
		"checkout, payment and\n  order?total=AMOUNT.",
		"the e-mail platform's event export, CSV: Event ID, Email "
		"Address "
		"(as\n  typed at sign-up: mixed case), Campaign, Event Type "
		"(email_sent,\n  email_bounce, email_open, email_click, "
		"email_unsubscribe), Event Time\n  (epoch seconds).  Sorted by "
		"campaign.",
		"the call center's export: a byte order mark, ';', CRLF; Start "
		"(local)\n  as 10/03/2026 02:34:07 PM in America/New_York, "
		"Caller "
		"written six ways\n  (or Anonymous / 0000000000), Account when "
		"verified, Disposition\n  resolved, unresolved or order, Order "
		"Amount.  Sorted by agent.",
		"the chat desk, CSV: chat_id, started_ms (epoch "
		"milliseconds),\n"
		"  visitor_email (as typed), user_id, topic, resolved, "
		"first_message\n  (quoted when it holds a comma or a quote).",
		"the stores' tills, TSV: receipt, store, local_time "
		"(America/Chicago,\n  2026-10-03 14:22:07), loyalty_card, "
		"email "
		"(e-receipt), total, items.\n  Sorted by store and day (the "
		"order the tills upload).  A store visit\n  without a purchase "
		"leaves no record.",
		"the account database, CSV: account_id, email (as typed at "
		"sign-up),\n  phone (as typed), loyalty_card, created_at (UTC, "
		"before the world\n  starts), marketing_opt_in.  Not events: "
		"the "
		"links between an account\n  and its identifiers (jt-stitch "
		"--links).  Sorted by creation.",
	};
	_Static_assert(
	    sizeof what / sizeof what[0] == SILO_N, "a text per silo");
	for (int s = 0; s < SILO_N; s++)
		buf_printf(&b, "%s%s (%llu records)\n  %s\n\n",
		    gen_silos[s].file, gz ? ".gz" : "",
		    (unsigned long long)t->records[s], what[s]);
	buf_adds(&b,
	    "Exports hold one shard of up to 20,000 persons after another, "
	    "each\nshard in the silo's own order, so no file is sorted by "
	    "person.\n\n"
	    "ingest.sh turns every export into events with jt-ingest (the "
	    "options each\nsilo needs are the documentation of its format): "
	    "sh ingest.sh [OUTDIR].\n"
	    "jt-nightly.conf says the same for jt-nightly(1), which runs the "
	    "whole\npipeline on the folder: jt-nightly --config "
	    "jt-nightly.conf . OUTDIR.\n"
	    "Every event keeps its record id in the column record.\n\n");

	buf_adds(&b,
	    "The causal model\n"
	    "----------------\n\n"
	    "Each person has an activity level (log-normal, mean 1: a few "
	    "people do\nmost of the touching) and an intent.  Touches of each "
	    "channel arrive as\na Poisson process at the channel's rate times "
	    "the activity; e-mail\nclicks come from the campaigns (Tuesdays "
	    "and Fridays), app sessions only\nfor app users, store visits only "
	    "for persons near a store.  At each touch\nthat can sell, the "
	    "person converts when the touch's own uniform draw is\nbelow\n\n"
	    "  P = 1 - (1 - intent) * product of (1 - effect[c])\n\n"
	    "over the channels c touched within 30 days since the last "
	    "conversion\n(this touch included): a noisy-OR.  A conversion ends "
	    "the journey.\n\n"
	    "  channel            rate/30d  effect  touches  last-touch "
	    "sales\n");
	for (int c = 0; c < CH_N; c++)
		buf_printf(&b, "  %-18s %8.2f  %6.3f  %7llu  %7llu\n",
		    gen_channels[c].name, gen_channels[c].rate,
		    gen_channels[c].effect,
		    (unsigned long long)t->touches_by[c],
		    (unsigned long long)t->conv_by_last[c]);
	buf_adds(&b,
	    "\n(e-mail clicks follow campaigns; chats never sell; "
	    "recovery and repeat\ncalls come from frictions.)\n\n"
	    "Because every touch keeps its own random draws, the walk is "
	    "replayed with\na channel's touches removed: truth/channels.csv "
	    "gives the conversions\nwithout each channel and the removal "
	    "effect 1 - without/actual, the same\ndefinition as Markov "
	    "attribution, so jt-attribute's estimates can be\njudged against "
	    "it.\n\n");

	buf_adds(&b,
	    "Frictions (truth/frictions.csv has their true cost)\n"
	    "---------------------------------------------------\n\n");
	for (int f = 0; f < FR_N; f++)
		buf_printf(&b, "- %s (%s, %s): %s; it happened %llu times.\n",
		    gen_frictions[f].name, gen_frictions[f].channel,
		    gen_frictions[f].step, gen_frictions[f].what,
		    (unsigned long long)t->friction_hits[f]);
	buf_adds(&b,
	    "\nThe cost is the conversions and revenue the same persons "
	    "make, with\nthe same draws, when the friction is switched "
	    "off.\n\n");

	buf_adds(&b,
	    "Traps that real data has\n"
	    "------------------------\n\n"
	    "- Households: two persons share one desktop cookie and each signs "
	    "in\n  to their own account on it (truth/identifiers.csv, kind "
	    "household).\n"
	    "- Junk identifiers shared by many: Anonymous and 0000000000 "
	    "callers,\n  test@test.com at checkout, none@none.com at the "
	    "tills, and two that\n  no junk list knows: the store's own "
	    "noreceipt@shop.example and the\n  staff loyalty card "
	    "LC9999999999.\n"
	    "- One identifier, many spellings: e-mails in mixed case or with "
	    "spaces,\n  phones as (212) 555-0134, 212.555.0134, +1 212 555 "
	    "0134, 12125550134...\n"
	    "- A fifth of mobile browsers lose their cookie once; only a "
	    "sign-in\n  links the new cookie to the old.\n"
	    "- Late and out-of-order records: late mobile hits, exports sorted "
	    "by\n  agent, campaign or store; times in three conventions and "
	    "zones.\n\n");

	buf_adds(&b,
	    "Truth\n"
	    "-----\n\n"
	    "truth/summary.csv      metric,value: the figures above.\n"
	    "truth/persons.csv      person,partner,activity,intent,"
	    "has_account,\n"
	    "                       has_email,subscribed,app_version,"
	    "home_store,touches,\n"
	    "                       conversions,revenue: one row per person.\n"
	    "truth/records.csv[.gz] source,record,line,person: the person "
	    "behind every\n"
	    "                       record (source as ingest.sh names it, "
	    "the record\n"
	    "                       id, the line in the export).\n"
	    "truth/identifiers.csv  id_type,id_value,person,kind: every "
	    "identifier as\n"
	    "                       jt-ingest normalises it, with its person "
	    "and kind\n"
	    "                       own or household; junk values last, "
	    "person empty.\n"
	    "truth/channels.csv     channel,effect,touches,"
	    "last_touch_conversions,\n"
	    "                       conversions_without,removal_effect,"
	    "attributed_conversions,\n"
	    "                       revenue_without,attributed_revenue: "
	    "attributed =\n"
	    "                       removal effects normalised to the total.\n"
	    "truth/frictions.csv    friction,channel,step,occurrences,"
	    "sales_aborted,\n"
	    "                       recovered_by_phone,conversions_lost,"
	    "revenue_lost,\n"
	    "                       extra_contacts,description.\n\n"
	    "See jt-gen(1) for the model's every constant.\n");
	io_write(o, b.data, b.len);
	buf_free(&b);
}
