"""Teams on botbuilder 4.17.1 (the Bot Framework SDK): the edge and the delivery port."""
