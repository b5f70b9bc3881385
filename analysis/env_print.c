/* SPDX-License-Identifier: MIT */
/* The environment record rendered: the text of 'env', the JSON of run.json. */
#include <string.h>

#include "env.h"

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

void env_print(const struct env_record *e, FILE *f)
{
	char label[512];

	fprintf(f, "vmexit-bench   %s\n", e->version);
	fprintf(f, "date           %s\n", e->date);
	fprintf(f, "host           %s\n", e->hostname);
	fprintf(f, "command        %s\n", e->cmdline[0] ? e->cmdline : "-");
	env_cpu_label(e, label, sizeof(label));
	fprintf(f, "cpu            %s\n", label);
	fprintf(f, "cpu id         %s family %d model %d stepping %d, %d cores, %d logical\n",
		e->cpu_vendor, e->cpu_family, e->cpu_model, e->cpu_stepping,
		e->cpu_cores, e->cpu_logical);
	fprintf(f, "microcode      %s\n", e->microcode);
	fprintf(f, "vmx/svm flags  vmx %s, svm %s\n", yesno(e->vmx), yesno(e->svm));
	fprintf(f, "tsc            %.0f kHz (%s); calibrated %.0f kHz; constant %s, invariant %s\n",
		e->tsc_khz, e->tsc_source, e->tsc_khz_calibrated, yesno(e->constant_tsc),
		yesno(e->invariant_tsc));
	fprintf(f, "clocksources   %s\n", e->clocksources[0] ? e->clocksources : "(unreadable)");
	fprintf(f, "nested         %s (hypervisor: %s)\n", yesno(e->nested), e->hypervisor_vendor);
	fprintf(f, "kernel         %s %s\n", e->kernel, e->kernel_version);
	fprintf(f, "kvm module     %s\n", e->kvm_module);
	for (size_t i = 0; i < e->nkvm_params; i++)
		fprintf(f, "  %-40s %s\n", e->kvm_params[i].key, e->kvm_params[i].value);
	fprintf(f, "smt            control %s, active %d\n", e->smt_control, e->smt_active);
	if (e->pinned_cpu >= 0)
		fprintf(f, "pinned cpu     %d\n", e->pinned_cpu);
	else
		fprintf(f, "pinned cpu     none (probed cpu %d)\n", e->probe_cpu);
	fprintf(f, "siblings       %s, busy %.0f%%\n", e->siblings,
		e->sibling_busy < 0 ? -1 : e->sibling_busy * 100);
	fprintf(f, "governor       %s\n", e->governor);
	fprintf(f, "boost          %s\n", e->boost);
	fprintf(f, "load average   %.2f (1 min)\n", e->loadavg1);
	fprintf(f, "mitigations\n");
	for (size_t i = 0; i < e->nmitigations; i++)
		fprintf(f, "  %-28s %s\n", e->mitigations[i].key, e->mitigations[i].value);
}

static json_t *kv_to_json(const struct env_kv *kv, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, kv[i].key, json_string(kv[i].value));
	return o;
}

json_t *env_to_json(const struct env_record *e)
{
	json_t *cpu = json_pack("{s:b,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:s,s:b,s:b,s:b,s:b}",
		"identified", e->cpu_ok, "vendor", e->cpu_vendor, "brand", e->cpu_brand,
		"codename", e->cpu_codename, "family", e->cpu_family, "model", e->cpu_model,
		"stepping", e->cpu_stepping, "cores", e->cpu_cores,
		"logical_cpus", e->cpu_logical, "microcode", e->microcode,
		"vmx", e->vmx, "svm", e->svm, "constant_tsc", e->constant_tsc,
		"invariant_tsc", e->invariant_tsc);
	json_t *tsc = json_pack("{s:f,s:s,s:f,s:s}", "khz", e->tsc_khz, "source", e->tsc_source,
				"calibrated_khz", e->tsc_khz_calibrated,
				"clocksources", e->clocksources);
	json_t *kvm = json_pack("{s:s,s:o}", "module", e->kvm_module,
				"parameters", kv_to_json(e->kvm_params, e->nkvm_params));
	json_t *smt = json_pack("{s:s,s:i,s:s,s:f}", "control", e->smt_control,
				"active", e->smt_active, "siblings", e->siblings,
				"sibling_busy", e->sibling_busy);

	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:b,s:s,s:o,s:o,s:o,"
			 "s:i,s:i,s:s,s:s,s:o}",
		"version", e->version, "date", e->date, "hostname", e->hostname,
		"command", e->cmdline, "cpu", cpu, "tsc", tsc,
		"kernel", e->kernel, "kernel_version", e->kernel_version,
		"nested", e->nested, "hypervisor_vendor", e->hypervisor_vendor,
		"kvm", kvm, "mitigations", kv_to_json(e->mitigations, e->nmitigations),
		"smt", smt, "pinned_cpu", e->pinned_cpu, "probe_cpu", e->probe_cpu,
		"governor", e->governor, "boost", e->boost,
		"loadavg_1min", e->loadavg1 >= 0 ? json_real(e->loadavg1) : json_null());
}

/*
 * Brand and codename say the same thing twice more often than not ("AMD
 * EPYC" and "EPYC (Milan)"): the codename's part in parentheses, or the
 * whole codename, is added only where the brand does not contain it.
 */
void env_cpu_label(const struct env_record *e, char *buf, size_t len)
{
	char code[sizeof(e->cpu_codename)];
	const char *open = strchr(e->cpu_codename, '('), *close;

	snprintf(code, sizeof(code), "%s", e->cpu_codename);
	if (open && (close = strchr(open, ')')) && close > open + 1)
		snprintf(code, sizeof(code), "%.*s", (int)(close - open - 1), open + 1);
	if (!code[0] || !strcmp(code, "unknown") || strstr(e->cpu_brand, code))
		snprintf(buf, len, "%s", e->cpu_brand[0] ? e->cpu_brand : code);
	else if (!e->cpu_brand[0])
		snprintf(buf, len, "%s", code);
	else
		snprintf(buf, len, "%s (%s)", e->cpu_brand, code);
}
