"""The quadrangle diagram: a QGraphicsScene projection of the store's dated state, its view and exports."""
