// The views in tab order. Adding a view is one import and one entry here.
import Cell from "./cell.js";
import Compare from "./compare.js";
import Gates from "./gates.js";
import Gradients from "./gradients.js";
import Highway from "./highway.js";
import Memory from "./memory.js";
import Prediction from "./prediction.js";
import Whiteboard from "./whiteboard.js";

export const VIEWS = [Highway, Gates, Cell, Memory, Whiteboard, Prediction, Compare, Gradients];
