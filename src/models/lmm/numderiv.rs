//! Numerical derivatives as R's numDeriv computes them (Richardson extrapolation), for
//! lmerTest's Satterthwaite degrees of freedom: the Hessian of the deviance and the Jacobian of
//! the fixed effects' covariance.

/// numDeriv's `genD`-based `hessian()` (Richardson, d = 0.1, eps = 1e-4, r = 4, v = 2), as
/// lmerTest calls it.
pub(super) fn numderiv_hessian(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<Vec<f64>> {
    let (d, eps, r) = (0.1, 1e-4, 4usize);
    let zero_tol = (f64::EPSILON / 7e-7).sqrt();
    let n = x.len();
    let f0 = f(x);
    let h0: Vec<f64> = x
        .iter()
        .map(|&v| (d * v).abs() + if v.abs() < zero_tol { eps } else { 0.0 })
        .collect();
    let mut hdiag = vec![0.0; n];
    let mut hess = vec![vec![0.0; n]; n];
    let richardson = |mut a: Vec<f64>| -> f64 {
        for m in 1..r {
            let p4 = 4f64.powi(m as i32);
            for k in 0..r - m {
                a[k] = (a[k + 1] * p4 - a[k]) / (p4 - 1.0);
            }
        }
        a[0]
    };
    for i in 0..n {
        let mut h = h0.clone();
        let mut ha = vec![0.0; r];
        for k in 0..r {
            let mut xp = x.to_vec();
            let mut xm = x.to_vec();
            xp[i] += h[i];
            xm[i] -= h[i];
            let (f1, f2) = (f(&xp), f(&xm));
            ha[k] = (f1 - 2.0 * f0 + f2) / (h[i] * h[i]);
            h.iter_mut().for_each(|v| *v /= 2.0);
        }
        hdiag[i] = richardson(ha);
        hess[i][i] = hdiag[i];
    }
    for i in 0..n {
        for j in 0..i {
            let mut h = h0.clone();
            let mut da = vec![0.0; r];
            for k in 0..r {
                let mut xp = x.to_vec();
                let mut xm = x.to_vec();
                xp[i] += h[i];
                xp[j] += h[j];
                xm[i] -= h[i];
                xm[j] -= h[j];
                let (f1, f2) = (f(&xp), f(&xm));
                da[k] = (f1 - 2.0 * f0 + f2 - hdiag[i] * h[i] * h[i] - hdiag[j] * h[j] * h[j])
                    / (2.0 * h[i] * h[j]);
                h.iter_mut().for_each(|v| *v /= 2.0);
            }
            let v = richardson(da);
            hess[i][j] = v;
            hess[j][i] = v;
        }
    }
    hess
}

/// numDeriv's `jacobian()` (Richardson, d = 1e-4, eps = 1e-4, r = 4, v = 2): column i = ∂f/∂x_i.
pub(super) fn numderiv_jacobian(f: &dyn Fn(&[f64]) -> Vec<f64>, x: &[f64]) -> Vec<Vec<f64>> {
    let (d, eps, r) = (1e-4, 1e-4, 4usize);
    let zero_tol = (f64::EPSILON / 7e-7).sqrt();
    let n = x.len();
    let mut h: Vec<f64> = x
        .iter()
        .map(|&v| (d * v).abs() + if v.abs() < zero_tol { eps } else { 0.0 })
        .collect();
    // a[k][i] = vector of central differences
    let mut a: Vec<Vec<Vec<f64>>> = Vec::with_capacity(r);
    for _k in 0..r {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            let mut xp = x.to_vec();
            let mut xm = x.to_vec();
            xp[i] += h[i];
            xm[i] -= h[i];
            let (fp, fm) = (f(&xp), f(&xm));
            row.push(
                fp.iter()
                    .zip(&fm)
                    .map(|(p, m)| (p - m) / (2.0 * h[i]))
                    .collect::<Vec<f64>>(),
            );
        }
        a.push(row);
        h.iter_mut().for_each(|v| *v /= 2.0);
    }
    for m in 1..r {
        let p4 = 4f64.powi(m as i32);
        let next: Vec<Vec<Vec<f64>>> = (0..r - m)
            .map(|k| {
                (0..n)
                    .map(|i| {
                        a[k + 1][i]
                            .iter()
                            .zip(&a[k][i])
                            .map(|(hi, lo)| (hi * p4 - lo) / (p4 - 1.0))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        a = next;
    }
    a.swap_remove(0)
}
