//! The stream layout of truncated backpropagation through time (Zaremba, Sutskever & Vinyals
//! 2014, and the PyTorch word-language-model example after it): a split's token array is cut
//! into `size` parallel streams, one per batch row, and batch k holds window k of every
//! stream, so that row b of batch k + 1 continues row b of batch k in the text and a hidden
//! state carried across batches has read everything before the window.

/// Where the windows of one split lie for one batch size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Tokens per stream: floor((N - 1) / size) of the N tokens; stream b starts at b * len.
    /// The ragged end of the array (fewer than `size` tokens, plus one) is dropped.
    pub len: usize,
    /// Windows that cover every stream once: floor((len - 1) / bptt), so that each window's
    /// targets (its inputs shifted by one) stay inside its own stream. The ragged end of each
    /// stream (fewer than `bptt` tokens) is dropped: the windows of an epoch all have
    /// `bptt` steps, and no token is predicted twice.
    pub windows: usize,
}

impl Layout {
    /// The layout of `n` tokens in `size` streams of `bptt`-step windows (`size` and `bptt`
    /// at least 1).
    pub fn new(n: usize, size: usize, bptt: usize) -> Self {
        let len = n.saturating_sub(1) / size.max(1);
        let windows = len.saturating_sub(1) / bptt.max(1);
        Self { len, windows }
    }

    /// The position in the split's token array of step `t` of window `k` of stream `b`: its
    /// input token; the target is the token after it.
    pub fn position(&self, b: usize, k: usize, t: usize, bptt: usize) -> usize {
        b * self.len + k * bptt + t
    }
}

/// Window `k` of `size` streams over `ids`: inputs and targets `[size, bptt]`, batch-major,
/// the targets being the inputs shifted by one token.
///
/// # Panics
/// When `k` is not below the layout's window count.
pub fn window(ids: &[i64], size: usize, bptt: usize, k: usize) -> (Vec<i64>, Vec<i64>) {
    let layout = Layout::new(ids.len(), size, bptt);
    assert!(
        k < layout.windows,
        "window {k} of {} ({} tokens in {size} streams of {bptt}-step windows)",
        layout.windows,
        ids.len()
    );
    let mut inputs = Vec::with_capacity(size * bptt);
    let mut targets = Vec::with_capacity(size * bptt);
    for b in 0..size {
        let start = layout.position(b, k, 0, bptt);
        inputs.extend_from_slice(&ids[start..start + bptt]);
        targets.extend_from_slice(&ids[start + 1..start + 1 + bptt]);
    }
    (inputs, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_drops_the_ragged_ends() {
        // 23 tokens, 2 streams: len = floor(22 / 2) = 11; windows of 3: floor(10 / 3) = 3.
        assert_eq!(
            Layout::new(23, 2, 3),
            Layout {
                len: 11,
                windows: 3
            }
        );
        // One stream of 11 tokens: len 10, one window of 9 inputs predicting tokens 1..=9;
        // the tenth token of the stream is its ragged end.
        assert_eq!(
            Layout::new(11, 1, 9),
            Layout {
                len: 10,
                windows: 1
            }
        );
        assert_eq!(Layout::new(10, 1, 9).windows, 0);
        assert_eq!(Layout::new(0, 4, 3), Layout { len: 0, windows: 0 });
    }

    #[test]
    fn window_k_of_stream_b_is_its_slice_and_targets_shift_by_one() {
        let ids: Vec<i64> = (100..123).collect();
        let (size, bptt) = (2, 3);
        let layout = Layout::new(ids.len(), size, bptt);
        for k in 0..layout.windows {
            let (inputs, targets) = window(&ids, size, bptt, k);
            for b in 0..size {
                let start = b * layout.len + k * bptt;
                let row = b * bptt..(b + 1) * bptt;
                assert_eq!(inputs[row.clone()], ids[start..start + bptt], "b {b} k {k}");
                assert_eq!(targets[row], ids[start + 1..start + 1 + bptt]);
            }
        }
        // Stream 1 starts at token 11: window 1 is tokens 14..17, predicting 15..18.
        let (inputs, targets) = window(&ids, size, bptt, 1);
        assert_eq!(inputs[3..], [114, 115, 116]);
        assert_eq!(targets[3..], [115, 116, 117]);
    }

    #[test]
    fn consecutive_windows_of_a_stream_are_contiguous_text() {
        let ids: Vec<i64> = (0..1000).map(|i| (i * 7919) % 613).collect();
        let (size, bptt) = (4, 5);
        let layout = Layout::new(ids.len(), size, bptt);
        for b in 0..size {
            let mut joined = Vec::new();
            let mut predicted = Vec::new();
            for k in 0..layout.windows {
                let (inputs, targets) = window(&ids, size, bptt, k);
                joined.extend_from_slice(&inputs[b * bptt..(b + 1) * bptt]);
                predicted.extend_from_slice(&targets[b * bptt..(b + 1) * bptt]);
            }
            let start = b * layout.len;
            let n = layout.windows * bptt;
            assert_eq!(joined, ids[start..start + n], "stream {b}");
            assert_eq!(predicted, ids[start + 1..start + 1 + n]);
            // The last target, token start + n, is still stream b's own.
            assert!(n < layout.len);
        }
    }

    #[test]
    #[should_panic(expected = "window 3 of 3")]
    fn a_window_past_the_end_is_a_bug() {
        let ids: Vec<i64> = (0..23).collect();
        let _ = window(&ids, 2, 3, 3);
    }
}
