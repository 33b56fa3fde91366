//! R's generalized Cholesky routines of the `survival` package (`cholesky2.c`, `chsolve2.c`,
//! `chinv2.c`), translated line by line for the Cox fit (so that its iterations are R's): a
//! symmetric non-negative definite matrix m = F D F' with F unit lower triangular, a column whose
//! pivot is below toler·max(diag) treated as redundant (its D set to 0; its solution and inverse
//! entries 0). Matrices are `m[i][j]` as R's ragged arrays `matrix[i][j]`.

/// R's `toler.chol = .Machine$double.eps^0.75`.
pub(super) fn toler_chol() -> f64 {
    f64::EPSILON.powf(0.75)
}

/// R's `cholesky2`: m = F D F' in place (F in the lower triangle, D on the diagonal), reading
/// the upper triangle; a pivot below toler·max(diag) (or not finite) is set to 0 (a redundant
/// column). Returns the rank, negated if m is not non-negative definite.
#[allow(clippy::needless_range_loop)] // indices as in R's C code
pub(super) fn cholesky2(m: &mut [Vec<f64>], toler: f64) -> i32 {
    let n = m.len();
    let mut nonneg = 1;
    let mut eps = 0.0f64;
    for i in 0..n {
        if m[i][i] > eps {
            eps = m[i][i];
        }
        for j in i + 1..n {
            m[j][i] = m[i][j];
        }
    }
    if eps == 0.0 {
        return 0;
    }
    eps *= toler;
    let mut rank = 0;
    for i in 0..n {
        let pivot = m[i][i];
        if !pivot.is_finite() || pivot < eps {
            m[i][i] = 0.0;
            if pivot < -8.0 * eps {
                nonneg = -1;
            }
        } else {
            rank += 1;
            for j in i + 1..n {
                let temp = m[j][i] / pivot;
                m[j][i] = temp;
                m[j][j] -= temp * temp * pivot;
                for k in j + 1..n {
                    m[k][j] -= temp * m[k][i];
                }
            }
        }
    }
    rank * nonneg
}

/// R's `chsolve2`: solve (F D F') b = y in place, 0 for a redundant column.
#[allow(clippy::needless_range_loop)] // indices as in R's C code
pub(super) fn chsolve2(m: &[Vec<f64>], y: &mut [f64]) {
    let n = m.len();
    for i in 0..n {
        let mut temp = y[i];
        for j in 0..i {
            temp -= y[j] * m[i][j];
        }
        y[i] = temp;
    }
    for i in (0..n).rev() {
        if m[i][i] == 0.0 {
            y[i] = 0.0;
        } else {
            let mut temp = y[i] / m[i][i];
            for j in i + 1..n {
                temp -= y[j] * m[j][i];
            }
            y[i] = temp;
        }
    }
}

/// R's `chinv2`: from the `cholesky2` factors, the inverse in the upper triangle and diagonal
/// (rows and columns of redundant columns 0).
#[allow(clippy::needless_range_loop)] // indices as in R's C code
pub(super) fn chinv2(m: &mut [Vec<f64>]) {
    let n = m.len();
    for i in 0..n {
        if m[i][i] > 0.0 {
            m[i][i] = 1.0 / m[i][i];
            for j in i + 1..n {
                m[j][i] = -m[j][i];
                for k in 0..i {
                    m[j][k] += m[j][i] * m[i][k];
                }
            }
        }
    }
    for i in 0..n {
        if m[i][i] == 0.0 {
            for j in 0..i {
                m[j][i] = 0.0;
            }
            for j in i..n {
                m[i][j] = 0.0;
            }
        } else {
            for j in i + 1..n {
                let temp = m[j][i] * m[j][j];
                m[i][j] = temp;
                for k in i..j {
                    m[i][k] += temp * m[j][k];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_inverse_of_a_known_matrix() {
        // [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8
        let mut m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        assert_eq!(cholesky2(&mut m, toler_chol()), 2);
        let mut y = vec![1.0, 0.0];
        chsolve2(&m, &mut y);
        assert!((y[0] - 3.0 / 8.0).abs() < 1e-15 && (y[1] + 2.0 / 8.0).abs() < 1e-15);
        chinv2(&mut m);
        assert!((m[0][0] - 3.0 / 8.0).abs() < 1e-15);
        assert!((m[0][1] + 2.0 / 8.0).abs() < 1e-15);
        assert!((m[1][1] - 4.0 / 8.0).abs() < 1e-15);
        // a redundant column: rank 1, its row and column of the inverse 0
        let mut s = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        assert_eq!(cholesky2(&mut s, toler_chol()), 1);
        chinv2(&mut s);
        assert_eq!((s[0][0], s[0][1], s[1][1]), (1.0, 0.0, 0.0));
    }
}
