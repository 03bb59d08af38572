use serde::{Deserialize, Serialize};

/// The recurrent cell of every layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// Elman RNN, h' = tanh(W x + U h + b).
    RnnTanh,
    /// Elman RNN with ReLU; with `init: identity` this is the IRNN of Le, Jaitly & Hinton 2015.
    RnnRelu,
    /// LSTM with forget gate (Gers et al. 2000), PyTorch's formulation.
    Lstm,
    /// GRU (Cho et al. 2014), PyTorch's formulation.
    Gru,
    /// LSTM with peephole connections from the cell to the gates (Greff et al. 2017, "PC").
    LstmPeephole,
    /// LSTM without forget gate: the 1997 LSTM (Greff et al. 2017, "NFG").
    LstmNoForget,
    /// LSTM with coupled input and forget gates, f = 1 - i (Greff et al. 2017, "CIFG").
    LstmCifg,
    /// LSTM without output gate (Greff et al. 2017, "NOG").
    LstmNoOutput,
}

impl Cell {
    /// Every cell, the four classic ones first, then the LSTM gate ablations. (The match in
    /// `Cell::listed` fails to compile when a cell is added, as a reminder to list it here.)
    pub const ALL: [Cell; 8] = [
        Cell::RnnTanh,
        Cell::RnnRelu,
        Cell::Lstm,
        Cell::Gru,
        Cell::LstmPeephole,
        Cell::LstmNoForget,
        Cell::LstmCifg,
        Cell::LstmNoOutput,
    ];

    /// Its position in [`Cell::ALL`]; exhaustive, so a new cell must be placed there.
    pub fn listed(self) -> usize {
        match self {
            Cell::RnnTanh => 0,
            Cell::RnnRelu => 1,
            Cell::Lstm => 2,
            Cell::Gru => 3,
            Cell::LstmPeephole => 4,
            Cell::LstmNoForget => 5,
            Cell::LstmCifg => 6,
            Cell::LstmNoOutput => 7,
        }
    }

    /// Gate blocks in the cell's flat weight matrices (PyTorch order: LSTM i,f,g,o; GRU
    /// r,z,n). The LSTM ablations of Greff et al. 2017 drop the block of the gate they remove:
    /// no-forget keeps i,g,o; CIFG keeps i,g,o and uses f = 1 - i; no-output keeps i,f,g.
    /// The models crate sizes its weights from this.
    pub fn gates(self) -> usize {
        match self {
            Cell::RnnTanh | Cell::RnnRelu => 1,
            Cell::Gru | Cell::LstmNoForget | Cell::LstmCifg | Cell::LstmNoOutput => 3,
            Cell::Lstm | Cell::LstmPeephole => 4,
        }
    }

    /// True for the LSTM family (the 1997 LSTM, the forget-gate LSTM and its ablations).
    pub fn is_lstm(self) -> bool {
        !matches!(self, Cell::RnnTanh | Cell::RnnRelu | Cell::Gru)
    }
}

/// How the outputs of a layer's two directions are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Merge {
    /// Concatenate forward and backward outputs (width 2H). Default.
    #[default]
    Concat,
    /// Add them (width H).
    Sum,
}

/// Connections between stacked layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// Plain stack: layer l reads layer l-1. Default.
    #[default]
    None,
    /// x + f(x), with a learned projection where widths differ (Wang & Tian 2016; Kim et al. 2017).
    Residual,
    /// Each layer reads the concatenation of the input and every lower layer's output.
    Dense,
    /// g * f(x) + (1 - g) * x with a learned gate g (Srivastava et al. 2015; Zilly et al. 2017).
    Highway,
}

/// Initialisation of the recurrent weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// PyTorch's default: every weight and bias U(-1/sqrt(H), 1/sqrt(H)). Default.
    #[default]
    Uniform,
    /// Orthogonal recurrent matrices (Saxe et al. 2014), the rest as `uniform`.
    Orthogonal,
    /// Identity recurrent matrix and zero bias (IRNN, Le et al. 2015); meant for `rnn_relu`.
    Identity,
}

/// The recurrent model. YAML: `model: { cell: lstm, hidden: 64, layers: 1 }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Recurrent cell. Default `lstm`.
    pub cell: Cell,
    /// Hidden units per layer and direction. Default 64.
    pub hidden: usize,
    /// Stacked layers. Default 1.
    pub layers: usize,
    /// Run a second, backward layer beside each forward one. Default false.
    pub bidirectional: bool,
    /// How the two directions are combined. Default `concat`.
    pub merge: Merge,
    /// Connections between layers. Default `none`.
    pub skip: Skip,
    /// Initial bias of the highway gate; negative values start close to carrying the input
    /// through (Srivastava et al. 2015 suggest -1 to -3). Default -1.0.
    pub highway_bias: f64,
    /// Initial forget-gate bias of LSTM cells (Jozefowicz et al. 2015). Default 1.0.
    pub forget_bias: f64,
    /// Recurrent-weight initialisation. Default `uniform`.
    pub init: Init,
    /// Dropout between layers (not on recurrent connections). Default 0.0.
    pub dropout: f64,
    /// Embedding width for token tasks (agreement). Default: the hidden width.
    pub embedding: Option<usize>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            cell: Cell::Lstm,
            hidden: 64,
            layers: 1,
            bidirectional: false,
            merge: Merge::Concat,
            skip: Skip::None,
            highway_bias: -1.0,
            forget_bias: 1.0,
            init: Init::Uniform,
            dropout: 0.0,
            embedding: None,
        }
    }
}

#[cfg(test)]
mod cell_list {
    use super::Cell;

    #[test]
    fn all_lists_every_cell_once_in_order() {
        for (i, c) in Cell::ALL.iter().enumerate() {
            assert_eq!(c.listed(), i, "{c:?}");
        }
    }
}
