/* Correlation and Student-t significance (see stats.h). */
#include "analyze/stats.h"

#include <math.h>
#include <stdlib.h>

#include "minetrace/common.h"

/* Continued fraction for I_x(a,b) (the standard expansion, evaluated with
 * the modified Lentz method). Converges fast for x < (a+1)/(a+b+2). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps) break;
    }
    return h;
}

double mt_betainc(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return NAN;
    if (x == 0 || x == 1) return x;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    double bt = exp(lbt);
    if (x < (a + 1.0) / (a + b + 2.0)) return bt * beta_cf(a, b, x) / a;
    return 1.0 - bt * beta_cf(b, a, 1.0 - x) / b;
}

double mt_t_two_sided_p(double t, double df)
{
    if (isnan(t) || !(df > 0)) return NAN;
    if (isinf(t)) return 0.0;
    return mt_betainc(df / 2.0, 0.5, df / (df + t * t));
}

double mt_pearson(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0) return NAN;
    double r = sxy / sqrt(sxx * syy);
    if (r > 1) r = 1;
    if (r < -1) r = -1;
    return r;
}

typedef struct { double v; size_t i; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void mt_ranks(const double *x, double *r, size_t n)
{
    ranked *t = mt_xmalloc((n ? n : 1) * sizeof *t);
    for (size_t i = 0; i < n; i++) { t[i].v = x[i]; t[i].i = i; }
    qsort(t, n, sizeof *t, cmp_ranked);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && t[j + 1].v == t[i].v) j++;
        double avg = ((double)i + (double)j) / 2.0 + 1.0;
        for (size_t k = i; k <= j; k++) r[t[k].i] = avg;
        i = j + 1;
    }
    free(t);
}

double mt_spearman(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    double *rx = mt_xmalloc(n * sizeof *rx), *ry = mt_xmalloc(n * sizeof *ry);
    mt_ranks(x, rx, n);
    mt_ranks(y, ry, n);
    double r = mt_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return r;
}

double mt_corr_p(double r, size_t n)
{
    if (n < 3 || isnan(r)) return NAN;
    double df = (double)n - 2.0;
    if (fabs(r) >= 1.0) return 0.0;
    double t = r * sqrt(df / (1.0 - r * r));
    return mt_t_two_sided_p(t, df);
}
