/*
 * TA-Lib C as a benchmark peer: times TA-Lib's own functions on the bars that bench/indicators.bench.ts wrote,
 * by process CPU time (clock_gettime CLOCK_PROCESS_CPUTIME_ID), and prints one JSON object per line.
 *
 * Usage: talib-bench <bars.f64> <runs> < jobs
 *   bars.f64: the bar count n as a little-endian float64, then n values each of open, high, low, close, volume.
 *   jobs: one line per indicator, "NAME real-input-field... -- param...", e.g. "CORREL high low -- 30" or
 *         "RSI close -- 14" (the fields feed TA-Lib's real inputs in order; price inputs take their own series).
 * Output per job: {"name":"RSI","ms":[..],"reuse":[..],"nb":<values written>} or {"name":..,"error":".."}.
 * Each run calls the function over the whole series through the abstract interface (one call; the per-call set-up
 * is negligible next to 1,000,000 bars). `ms`: CPU ms of each run into freshly malloc'd output arrays, freed
 * after the run (what Kestrel's batch call does: it returns new Float64Arrays); `reuse`: the same call into output
 * arrays written before (no page faults: the best case for a caller that keeps its buffers).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ta_libc.h"

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double *series[5]; /* open, high, low, close, volume */
static const char *FIELDS[5] = {"open", "high", "low", "close", "volume"};

static double *field(const char *name) {
  for (int i = 0; i < 5; i++)
    if (strcmp(name, FIELDS[i]) == 0) return series[i];
  return NULL;
}

/* Points the function's outputs at `outs`/`iouts` (at most 3 outputs, as in every TA-Lib function). */
static int set_outputs(const TA_FuncHandle *h, const TA_FuncInfo *info, TA_ParamHolder *p, double **outs, int **iouts) {
  for (unsigned i = 0; i < info->nbOutput && i < 3; i++) {
    const TA_OutputParameterInfo *oo;
    TA_GetOutputParameterInfo(h, i, &oo);
    TA_RetCode rc = oo->type == TA_Output_Integer ? TA_SetOutputParamIntegerPtr(p, i, iouts[i])
                                                   : TA_SetOutputParamRealPtr(p, i, outs[i]);
    if (rc != TA_SUCCESS) return 0;
  }
  return 1;
}

static void fail(const char *name, const char *why) { printf("{\"name\":\"%s\",\"error\":\"%s\"}\n", name, why); }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s bars.f64 runs < jobs\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 3;
  }
  double nd;
  if (fread(&nd, sizeof nd, 1, f) != 1) return 3;
  int n = (int)nd;
  for (int i = 0; i < 5; i++) {
    series[i] = malloc(sizeof(double) * n);
    if (fread(series[i], sizeof(double), n, f) != (size_t)n) return 3;
  }
  fclose(f);
  int runs = atoi(argv[2]);
  /* a fixed threshold keeps every output array mmap'd, so each run writes fresh pages as a new Float64Array does
     (glibc would otherwise raise the threshold after the first free and hand the same warm pages back) */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  if (TA_Initialize() != TA_SUCCESS) return 4;
  double *outs[3];
  int *iouts[3];
  for (int k = 0; k < 3; k++) {
    outs[k] = malloc(sizeof(double) * n);
    iouts[k] = malloc(sizeof(int) * n);
    memset(outs[k], 0, sizeof(double) * n);
    memset(iouts[k], 0, sizeof(int) * n);
  }
  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    char *save = NULL;
    char *name = strtok_r(line, " \t\r\n", &save);
    if (!name) continue;
    char *reals[4];
    int nreal = 0;
    double opt[16];
    int nopt = 0;
    int afterSep = 0;
    for (char *tok; (tok = strtok_r(NULL, " \t\r\n", &save));) {
      if (strcmp(tok, "--") == 0) afterSep = 1;
      else if (!afterSep && nreal < 4) reals[nreal++] = tok;
      else if (afterSep && nopt < 16) opt[nopt++] = atof(tok);
    }
    const TA_FuncHandle *h;
    const TA_FuncInfo *info;
    TA_ParamHolder *p;
    if (TA_GetFuncHandle(name, &h) != TA_SUCCESS || TA_GetFuncInfo(h, &info) != TA_SUCCESS) {
      fail(name, "unknown function");
      continue;
    }
    if (TA_ParamHolderAlloc(h, &p) != TA_SUCCESS) {
      fail(name, "alloc");
      continue;
    }
    int ok = 1, r = 0;
    for (unsigned i = 0; i < info->nbInput && ok; i++) {
      const TA_InputParameterInfo *in;
      TA_GetInputParameterInfo(h, i, &in);
      if (in->type == TA_Input_Price) {
        TA_InputFlags fl = in->flags;
        ok = TA_SetInputParamPricePtr(p, i, fl & TA_IN_PRICE_OPEN ? series[0] : NULL,
                                      fl & TA_IN_PRICE_HIGH ? series[1] : NULL, fl & TA_IN_PRICE_LOW ? series[2] : NULL,
                                      fl & TA_IN_PRICE_CLOSE ? series[3] : NULL,
                                      fl & TA_IN_PRICE_VOLUME ? series[4] : NULL, NULL) == TA_SUCCESS;
      } else if (in->type == TA_Input_Real) {
        double *s = r < nreal ? field(reals[r]) : NULL;
        r++;
        ok = s != NULL && TA_SetInputParamRealPtr(p, i, s) == TA_SUCCESS;
      } else ok = 0;
    }
    for (unsigned i = 0; i < info->nbOptInput && ok && (int)i < nopt; i++) {
      const TA_OptInputParameterInfo *oi;
      TA_GetOptInputParameterInfo(h, i, &oi);
      if (oi->type == TA_OptInput_RealRange || oi->type == TA_OptInput_RealList)
        ok = TA_SetOptInputParamReal(p, i, opt[i]) == TA_SUCCESS;
      else ok = TA_SetOptInputParamInteger(p, i, (int)opt[i]) == TA_SUCCESS;
    }
    ok = ok && set_outputs(h, info, p, outs, iouts);
    if (!ok) {
      fail(name, "bad inputs or parameters");
      TA_ParamHolderFree(p);
      continue;
    }
    int beg = 0, nb = 0;
    printf("{\"name\":\"%s\",\"ms\":[", name);
    for (int k = 0; k < runs; k++) {
      double t0 = cpu_ms();
      double *fo[3] = {NULL, NULL, NULL};
      int *fi[3] = {NULL, NULL, NULL};
      for (unsigned j = 0; j < info->nbOutput && j < 3; j++) {
        const TA_OutputParameterInfo *oo;
        TA_GetOutputParameterInfo(h, j, &oo);
        if (oo->type == TA_Output_Integer) fi[j] = malloc(sizeof(int) * n);
        else fo[j] = malloc(sizeof(double) * n);
      }
      set_outputs(h, info, p, fo, fi);
      TA_RetCode rc = TA_CallFunc(p, 0, n - 1, &beg, &nb);
      for (int j = 0; j < 3; j++) {
        free(fo[j]);
        free(fi[j]);
      }
      double t1 = cpu_ms();
      if (rc != TA_SUCCESS) nb = -(int)rc;
      printf("%s%.4f", k ? "," : "", t1 - t0);
    }
    set_outputs(h, info, p, outs, iouts);
    printf("],\"reuse\":[");
    for (int k = 0; k < runs; k++) {
      double t0 = cpu_ms();
      TA_RetCode rc = TA_CallFunc(p, 0, n - 1, &beg, &nb);
      double t1 = cpu_ms();
      if (rc != TA_SUCCESS) nb = -(int)rc;
      printf("%s%.4f", k ? "," : "", t1 - t0);
    }
    printf("],\"nb\":%d}\n", nb);
    fflush(stdout);
    TA_ParamHolderFree(p);
  }
  TA_Shutdown();
  return 0;
}
