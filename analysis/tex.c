/* SPDX-License-Identifier: MIT */
/* table.tex writer. */
#include <math.h>
#include <string.h>

#include "atomic_file.h"
#include "run_json.h"
#include "table.h"
#include "tex.h"

int tex_escape(const char *in, char *out, size_t outlen)
{
	size_t used = 0;

	if (!outlen)
		return -1;
	for (; *in; in++) {
		char one[2] = { *in, 0 };
		const char *rep = one;
		size_t len;

		switch (*in) {
		case '\\': rep = "\\textbackslash{}"; break;
		case '~': rep = "\\textasciitilde{}"; break;
		case '^': rep = "\\textasciicircum{}"; break;
		case '{': rep = "\\{"; break;
		case '}': rep = "\\}"; break;
		case '$': rep = "\\$"; break;
		case '&': rep = "\\&"; break;
		case '#': rep = "\\#"; break;
		case '_': rep = "\\_"; break;
		case '%': rep = "\\%"; break;
		case '\n': case '\r': rep = " "; break;
		}
		len = strlen(rep);
		/* Never split an escape: a half "\textbackslash" breaks the document. */
		if (used + len >= outlen) {
			out[used] = 0;
			return -1;
		}
		memcpy(out + used, rep, len);
		used += len;
	}
	out[used] = 0;
	return 0;
}

/* A comment line must not contain a newline, or the rest becomes TeX. */
static void comment(FILE *f, const char *label, const char *value)
{
	fprintf(f, "%% %s: ", label);
	for (; *value; value++)
		fputc(*value == '\n' || *value == '\r' ? ' ' : *value, f);
	fputc('\n', f);
}

/* --no-subtract leaves every floor at 0; the caption must not claim otherwise. */
static bool floor_subtracted(const struct run_record *r)
{
	for (size_t i = 0; i < r->nbench; i++)
		if (r->bench[i].status == BENCH_OK && r->bench[i].floor != 0)
			return true;
	return false;
}

/* "63\,934", "$-$26": thin-space thousands and a real minus. */
static void tex_num(FILE *f, double v)
{
	char buf[64];

	table_grouped(v, "\\,", "$-$", buf, sizeof(buf));
	fputs(buf, f);
}

/* Letters of a name between breaks: "tscdeadline" may break once, "cpuid" never. */
#define TEX_NAME_RUN 6

void tex_name(FILE *f, const char *name)
{
	char one[16];
	int run = 0;

	fputs("\\texttt{", f);
	for (; *name; name++) {
		char c[2] = { *name, 0 };

		tex_escape(c, one, sizeof(one));
		fputs(one, f);
		run = *name == '_' ? 0 : run + 1;
		if (name[1] && (*name == '_' || (run == TEX_NAME_RUN && name[1] != '_' && name[2]))) {
			fputs("\\allowbreak{}", f);
			run = 0;
		}
	}
	fputc('}', f);
}

/* Rows per float: a column of a two-column paper holds this many with wrapped names. */
#define TEX_ROWS_PER_TABLE 24

/*
 * The CI as "+-h", h the larger side: t-intervals over runs are symmetric,
 * and one number is what fits a column.
 */
static void write_row(FILE *f, const struct bench_record *b, bool phases, bool mark_cpl0)
{
	const struct summary_row *s = &b->rows[PHASE_TOTAL];
	double h = fmax(s->ci95_hi - s->median, s->median - s->ci95_lo);

	tex_name(f, b->name);
	if (b->emulated)
		fputs("$^\\dagger$", f);
	else if (mark_cpl0 && b->cpl == 0)
		fputs("$^0$", f);
	fputs(" & ", f);
	tex_num(f, s->median);
	fputs(" & $\\pm$", f);
	tex_num(f, isfinite(h) ? h : 0);
	for (int p = PHASE_EXIT; phases && p <= PHASE_ENTRY; p++) {
		fputs(" & ", f);
		if (bench_has_split(b))
			tex_num(f, b->rows[p].median);
	}
	fputs(" \\\\\n", f);
}

static bool measured(const struct bench_record *b)
{
	return b->status == BENCH_OK && b->has_phase[PHASE_TOTAL];
}

/* One paragraph under the table instead of a row per benchmark that did not run. */
static void write_missing(FILE *f, const struct run_record *r)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < r->nbench; i++)
		n += !measured(&r->bench[i]);
	if (!n)
		return;
	fprintf(f, "\\par\\smallskip\\parbox{\\linewidth}{\\raggedright\\scriptsize "
		"Not measured here (reasons in run.json): ");
	for (size_t i = 0; i < r->nbench; i++) {
		if (measured(&r->bench[i]))
			continue;
		tex_name(f, r->bench[i].name);
		fputs(++k < n ? ", " : ".", f);
	}
	fputs("}\n", f);
}

struct tex_layout {
	bool ns, phases, mixed_cpl;
	int cpl;			/* the CPL of every row when !mixed_cpl */
	size_t nexit, nlat;
};

static void layout_of(const struct run_record *r, struct tex_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->ns = r->tsc_khz > 0 && isfinite(r->tsc_khz);
	l->cpl = -1;
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		if (!measured(b) || b->kind == BENCH_KIND_FLOOR)
			continue;
		l->phases |= bench_has_split(b);
		l->nexit += b->kind == BENCH_KIND_EXIT;
		l->nlat += b->kind == BENCH_KIND_LATENCY;
		if (l->cpl >= 0 && l->cpl != b->cpl)
			l->mixed_cpl = true;
		l->cpl = b->cpl;
	}
}

static void write_caption(FILE *f, const struct run_record *r, const struct env_record *e,
			  const struct tex_layout *l)
{
	char cpu[512], label[512], kernel[512], kvm[128];
	unsigned runs = r->runs ? r->runs : 1;

	env_cpu_label(e, label, sizeof(label));
	tex_escape(label, cpu, sizeof(cpu));
	tex_escape(e->kernel, kernel, sizeof(kernel));
	tex_escape(e->kvm_module, kvm, sizeof(kvm));
	fprintf(f, "\\caption{VM-exit cost on %s, Linux %s, %s: median in TSC ticks", cpu,
		kernel, kvm);
	/* An emulated CPU's ticks are no hardware cost: the caption says so first. */
	if (!strcmp(r->emulator, "tcg"))
		fprintf(f, " of a CPU emulated by QEMU's TCG (host time spent emulating: "
			"behaviour, not hardware cost)");
	else if (!strcmp(r->emulator, "bochs"))
		fprintf(f, " of a CPU emulated by Bochs (instructions it executed: path lengths, "
			"not hardware cost)");
	if (l->ns)
		fprintf(f, " (%.0f\\,MHz TSC: 1000 ticks = %.0f\\,ns)", r->tsc_khz / 1000,
			1000 * 1e6 / r->tsc_khz);
	if (runs > 1)
		fprintf(f, ", mean of the medians of %u independent runs, $\\pm$ the 95\\%% "
			"confidence interval over runs", runs);
	else
		fprintf(f, " of one run, $\\pm$ the distribution-free 95\\%% confidence interval "
			"of the median (order statistics) within the run");
	if (r->parallel > 1)
		fprintf(f, "; %u vCPUs of one VM ran each row at once: \\texttt{@vcpu}$K$ is "
			"vCPU $K$'s samples, the row without it all of them", r->parallel);
	if (l->phases)
		fprintf(f, "; exit, handler, entry: median of each phase");
	if (l->mixed_cpl)
		fprintf(f, "; guest at CPL3, except %s (CPL0%s)", run_record_any_emulated(r) ?
			"$^\\dagger$" : "$^0$", run_record_any_emulated(r) ? ", emulated by KVM on this host" : "");
	else if (l->cpl >= 0)
		fprintf(f, "; guest at CPL%d%s", l->cpl, run_record_any_emulated(r) ?
			" $^\\dagger$(emulated by KVM on this host)" : "");
	fprintf(f, "; timer floor %s", floor_subtracted(r) ? "subtracted" : "not subtracted");
	for (int i = 3, k = 0; floor_subtracted(r) && i >= 0; i -= 3) {
		if (!r->floor_valid[i])
			continue;
		fprintf(f, "%sCPL%d: ", k++ ? ", " : " (", i);
		tex_num(f, r->floor[i]);
		if (i == 0 || !r->floor_valid[0])
			fputs(" ticks)", f);
	}
	if (r->incomplete)
		fprintf(f, ". INCOMPLETE: the run was stopped by %s; %zu of %llu benchmarks were "
			"measured, the rest not run", r->stopped_by, r->nbench, r->selected);
	fprintf(f, ".}\n");
}

static void table_head(FILE *f, const struct tex_layout *l)
{
	fprintf(f, "\\scriptsize\n\\setlength{\\tabcolsep}{2.5pt}\n");
	fprintf(f, "\\begin{tabularx}{\\linewidth}{@{}>{\\raggedright\\arraybackslash}X r r%s@{}}\n"
		"\\toprule\n", l->phases ? " r r r" : "");
	fprintf(f, "Benchmark & Median & 95\\%% CI%s \\\\\n\\midrule\n",
		l->phases ? " & Exit & Handler & Entry" : "");
}

/*
 * Starts table number @part: the first has the caption and label; later
 * ones say "(continued)" under the same number, so a long catalog never
 * makes a float taller than a column.
 */
static void table_open(FILE *f, const struct run_record *r, const struct env_record *e,
		       const struct tex_layout *l, int part)
{
	fprintf(f, "\\begin{table}[htbp]\n\\centering\n");
	if (!part) {
		write_caption(f, r, e, l);
		fprintf(f, "\\label{tab:vmexit}\n");
	} else {
		fprintf(f, "\\addtocounter{table}{-1}\n\\caption{VM-exit cost (continued).}\n");
	}
	table_head(f, l);
}

static void table_close(FILE *f, const struct run_record *r, bool last)
{
	fprintf(f, "\\bottomrule\n\\end{tabularx}\n");
	if (last)
		write_missing(f, r);
	fprintf(f, "\\end{table}\n");
}

void tex_write_table(FILE *f, const struct run_record *r, const struct env_record *e)
{
	struct tex_layout l;
	size_t rows = 0, total;
	int part = 0, cols;

	layout_of(r, &l);
	cols = l.phases ? 6 : 3;
	total = l.nexit + l.nlat;
	fprintf(f, "%% Generated by vmexit-bench %s.\n"
		"%% Needs \\usepackage{booktabs} and \\usepackage{tabularx}. Every float fits one "
		"column of a two-column paper (\\linewidth); at most %d rows each.\n",
		e->version, TEX_ROWS_PER_TABLE);
	comment(f, "CPU", e->cpu_brand);
	comment(f, "codename", e->cpu_codename);
	comment(f, "microcode", e->microcode);
	comment(f, "kernel", e->kernel);
	comment(f, "KVM module", e->kvm_module);
	comment(f, "date", e->date);
	comment(f, "host", e->hostname);
	fprintf(f, "%% TSC: %.0f kHz (%s)\n", r->tsc_khz, r->tsc_source);
	table_open(f, r, e, &l, part);
	if (!total)
		fprintf(f, "\\multicolumn{%d}{@{}l}{\\emph{no benchmark was measured}} \\\\\n", cols);
	/* Exit costs first; latencies and bursts are not exit costs and come apart. */
	for (int kind = BENCH_KIND_EXIT; kind <= BENCH_KIND_LATENCY; kind++) {
		bool heading = kind == BENCH_KIND_LATENCY && l.nlat;

		for (size_t i = 0; i < r->nbench; i++) {
			const struct bench_record *b = &r->bench[i];

			if (!measured(b) || b->kind != (enum bench_kind)kind)
				continue;
			if (rows && rows % TEX_ROWS_PER_TABLE == 0) {
				table_close(f, r, false);
				table_open(f, r, e, &l, ++part);
			}
			if (heading) {
				fprintf(f, "%s\\multicolumn{%d}{@{}l}{\\emph{Not single exits: latency "
					"or burst per iteration}} \\\\\n",
					rows % TEX_ROWS_PER_TABLE ? "\\midrule\n" : "", cols);
				heading = false;
			}
			write_row(f, b, l.phases, l.mixed_cpl);
			rows++;
		}
	}
	table_close(f, r, true);
}

int tex_write(const char *path, const struct run_record *r, const struct env_record *e,
	      char *err, size_t errlen)
{
	struct atomic_file af;

	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	tex_write_table(af.f, r, e);
	return atomic_file_commit(&af, err, errlen);
}
