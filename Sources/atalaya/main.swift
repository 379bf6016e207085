print("atalaya")
