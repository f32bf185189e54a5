/** The box a layer node takes on the canvas, in CSS pixels: what placement, group frames and the layout all space by. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 74;
