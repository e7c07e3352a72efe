enum XMLRPCPlaceholder {}
