/* Correlation statistics for the market analysis: Pearson's r, Spearman's
 * rho (Pearson on ranks, ties get their average rank) and a two-sided
 * p-value from Student's t with n-2 degrees of freedom. The t CDF comes from
 * the regularized incomplete beta function, evaluated with a continued
 * fraction (modified Lentz), written here so the project needs no maths
 * library beyond libm. */
#ifndef MT_ANALYZE_STATS_H
#define MT_ANALYZE_STATS_H

#include <stddef.h>

/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. NaN on bad
 * arguments. */
double mt_betainc(double a, double b, double x);
/* P(|T| >= |t|) for Student's t with df degrees of freedom. */
double mt_t_two_sided_p(double t, double df);
/* Pearson's r of x and y (n pairs); NaN when n < 2 or a variance is 0. */
double mt_pearson(const double *x, const double *y, size_t n);
/* Average ranks (1-based) of x into r; ties share their mean rank. */
void mt_ranks(const double *x, double *r, size_t n);
/* Spearman's rho (Pearson of the ranks); NaN like mt_pearson. */
double mt_spearman(const double *x, const double *y, size_t n);
/* Two-sided p-value of a correlation coefficient r from n pairs via
 * t = r * sqrt((n-2) / (1-r^2)); NaN when n < 3 or r is NaN. */
double mt_corr_p(double r, size_t n);

#endif
