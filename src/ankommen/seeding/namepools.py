"""Common first and family names by naming tradition, for synthetic persons.

Written for this project: common names are facts, not works. The Latin forms follow the
transliteration a German register most often shows (passport spelling); ``Latin|native`` gives
the original script (Arabic, Persian, Cyrillic, Georgian, Ge'ez) where the demo may store a
name as written in the person's own document. No Django import (used by the generator).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    latin: str
    native: str | None = None

    def written(self, native: bool) -> str:
        return self.native if native and self.native else self.latin


def _names(text: str) -> tuple[Name, ...]:
    names = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        latin, _, native = item.partition("|")
        names.append(Name(latin.strip(), native.strip() or None))
    return tuple(names)


@dataclass(frozen=True)
class NamePool:
    """Names of one tradition. ``family_convention``:

    * ``shared`` – the household shares the father's family name (spouse takes it);
    * ``own`` – children take the father's family name, a wife keeps her own;
    * ``patronym`` – a person's family name is the father's first name (Somali, Habesha);
    * ``gendered`` – like ``shared``, with female forms (-ov → -ova, -ski → -ska).
    ``middle_male``/``middle_female`` are middle names given before the first name (Vietnamese).
    """

    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    family_convention: str = "shared"
    middle_male: tuple[Name, ...] = ()
    middle_female: tuple[Name, ...] = ()


ARAB = NamePool(
    male=_names(
        "Mohammed|محمد, Ahmad|أحمد, Mahmoud|محمود, Omar|عمر, Khaled|خالد, Yousef|يوسف, Ali|علي,"
        "Hassan|حسن, Hussein|حسين, Ibrahim|إبراهيم, Abdullah|عبد الله, Mustafa|مصطفى,"
        "Bilal|بلال, Rami|رامي, Samer|سامر, Ammar|عمار, Tarek|طارق, Karim|كريم, Adnan|عدنان,"
        "Faisal|فيصل, Jamal|جمال, Majd|مجد, Anas|أنس, Hamza|حمزة, Zaid|زيد, Wael|وائل,"
        "Yaman|يمان, Adam|آدم, Eyad|إياد, Muhammad|محمد, Mohamad|محمد, Abdulrahman|عبد الرحمن"
    ),
    female=_names(
        "Fatima|فاطمة, Aisha|عائشة, Maryam|مريم, Noor|نور, Rasha|رشا, Hala|هالة, Lina|لينا,"
        "Rana|رنا, Zainab|زينب, Huda|هدى, Amal|أمل, Dima|ديما, Rania|رانيا, Layla|ليلى,"
        "Yasmin|ياسمين, Salma|سلمى, Hiba|هبة, Reem|ريم, Sara|سارة, Mona|منى, Nada|ندى,"
        "Ghada|غادة, Batoul|بتول, Sham|شام, Joud|جود, Rahaf|رهف, Aya|آية, Maya|مايا, Kholoud|خلود"
    ),
    family=_names(
        "Al-Ahmad|الأحمد, Al-Hassan|الحسن, Al-Ali|العلي, Al-Khatib|الخطيب, Haddad|حداد,"
        "Hamdan|حمدان, Khalil|خليل, Saleh|صالح, Ibrahim|إبراهيم, Mansour|منصور,"
        "Al-Hamoud|الحمود, Al-Jasem|الجاسم, Darwish|درويش, Nasser|ناصر, Al-Zoubi|الزعبي,"
        "Al-Masri|المصري, Abdullah|عبد الله, Youssef|يوسف, Al-Obaidi|العبيدي,"
        "Al-Jubouri|الجبوري, Al-Tamimi|التميمي, Al-Saadi|السعدي, Hussein|حسين, Kanaan|كنعان,"
        "Shaheen|شاهين, Al-Hussein|الحسين, Othman|عثمان, Al-Khalaf|الخلف, Suleiman|سليمان,"
        "Al-Rifai|الرفاعي, Al-Mohammad|المحمد, Al-Abdullah|العبدالله"
    ),
    family_convention="own",
)

MAGHREB = NamePool(
    male=_names(
        "Mohamed|محمد, Yassine|ياسين, Karim|كريم, Walid|وليد, Sofiane, Amine|أمين, Nabil|نبيل,"
        "Bilal|بلال, Mehdi|مهدي, Riad|رياض, Hamza|حمزة, Youssef|يوسف, Anis|أنيس, Rachid|رشيد,"
        "Samir|سمير, Ayoub|أيوب, Oussama|أسامة, Abdelkader|عبد القادر"
    ),
    female=_names(
        "Amina|أمينة, Meriem|مريم, Nadia|نادية, Samira|سميرة, Sabrina, Imane|إيمان,"
        "Khadija|خديجة, Houda|هدى, Fatima Zahra|فاطمة الزهراء, Sara|سارة, Salma|سلمى, Asma|أسماء,"
        "Yasmina|ياسمينة, Lamia|لمياء"
    ),
    family=_names(
        "Benali|بن علي, Bouzid|بوزيد, Haddad|حداد, Belkacem|بلقاسم, Mansouri|منصوري, Cherif|شريف,"
        "Bensalem|بن سالم, Amrani|عمراني, El Idrissi|الإدريسي, Saidi|سعيدي, Boukhari|بوخاري,"
        "Trabelsi|طرابلسي, Ben Salah|بن صالح, Ben Ammar|بن عمار, Jebali|جبالي, Tahiri|طاهري,"
        "Hamdi|حمدي, Zerrouki|زروقي, Meziane|مزيان, Ouali|والي"
    ),
    family_convention="own",
)

KURDISH = NamePool(
    male=_names(
        "Azad, Dilovan, Rojhat, Berzan, Serhat, Şivan, Baran, Welat, Hozan, Rêber, Kawa, Zana,"
        "Aram, Dildar, Shiwan, Karwan, Hemin, Ciwan, Delil, Xalid, Khudeda, Bahoz"
    ),
    female=_names(
        "Rojda, Berfin, Dilan, Zozan, Hêvî, Evîn, Nêrgiz, Rûken, Jiyan, Avesta, Nazdar, Shilan,"
        "Viyan, Gulistan, Narin, Berivan, Rojin, Helin, Dilşa, Rozerin"
    ),
    family=_names(
        "Hesso, Sheikho, Mamo, Osso, Ibo, Khalaf, Murad, Qasim, Haji, Rashid, Barakat, Sido,"
        "Bakir, Hemo, Mirza, Ali, Ismail, Hasan, Omar, Sleman, Khudhur, Silo"
    ),
    family_convention="own",
)

TURKISH = NamePool(
    male=_names(
        "Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Emre, Murat, Yusuf, Ömer, Burak,"
        "Kemal, Serkan, Enes, Furkan, Mahmut, Ramazan, Cem, Volkan"
    ),
    female=_names(
        "Ayşe, Fatma, Emine, Hatice, Zeynep, Elif, Merve, Büşra, Esra, Özlem, Sevgi, Derya, Gül,"
        "Ebru, Sibel, Hülya, Nur, Kübra"
    ),
    family=_names(
        "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Arslan, Doğan, Kılıç, Aslan,"
        "Çetin, Kara, Koç, Kurt, Özdemir, Polat, Erdem, Aksoy, Ekinci, Yıldırım, Tekin, Güneş"
    ),
)

AFGHAN = NamePool(
    male=_names(
        "Ahmad|احمد, Mohammad|محمد, Ali|علی, Reza|رضا, Mustafa|مصطفی, Hamid|حمید, Farid|فرید,"
        "Jawid|جاوید, Naweed|نوید, Sayed|سید, Zabihullah|ذبیح‌الله, Rahmatullah|رحمت‌الله,"
        "Khalil|خلیل, Nasir|نصیر, Omid|امید, Bashir|بشیر, Habib|حبیب, Sohrab|سهراب, Elyas|الیاس,"
        "Murtaza|مرتضی, Samiullah|سمیع‌الله, Abdul Wahid|عبدالواحد, Ghulam|غلام, Rahim|رحیم"
    ),
    female=_names(
        "Fatima|فاطمه, Zahra|زهرا, Maryam|مریم, Nargis|نرگس, Parwana|پروانه, Shabnam|شبنم,"
        "Marzia|مرضیه, Laila|لیلا, Farzana|فرزانه, Soraya|ثریا, Masooma|معصومه, Hosai,"
        "Malalai, Zainab|زینب, Roya|رویا, Freshta|فرشته, Mahbooba|محبوبه, Nilofar|نیلوفر,"
        "Shukria|شکریه, Gulalai, Sakina|سکینه"
    ),
    family=_names(
        "Ahmadi|احمدی, Hussaini|حسینی, Rahimi|رحیمی, Karimi|کریمی, Mohammadi|محمدی,"
        "Hakimi|حکیمی, Rezaie|رضایی, Stanikzai|ستانکزی, Popalzai|پوپلزی, Safi|صافی,"
        "Sultani|سلطانی, Noori|نوری, Amiri|امیری, Haidari|حیدری, Jafari|جعفری, Wardak|وردک,"
        "Sharifi|شریفی, Azizi|عزیزی, Sadat|سادات, Nazari|نظری, Yousufzai|یوسفزی, Sediqi|صدیقی"
    ),
    family_convention="own",
)

PERSIAN = NamePool(
    male=_names(
        "Amir|امیر, Mehdi|مهدی, Hossein|حسین, Reza|رضا, Saeed|سعید, Arash|آرش, Babak|بابک,"
        "Kian|کیان, Navid|نوید, Pouya|پویا, Behnam|بهنام, Ali|علی, Mohsen|محسن, Hamed|حامد,"
        "Farhad|فرهاد, Majid|مجید"
    ),
    female=_names(
        "Maryam|مریم, Nazanin|نازنین, Shirin|شیرین, Mahsa|مهسا, Leila|لیلا, Parisa|پریسا,"
        "Sara|سارا, Niloufar|نیلوفر, Fatemeh|فاطمه, Samira|سمیرا, Zahra|زهرا, Azadeh|آزاده,"
        "Roya|رویا, Elham|الهام, Mina|مینا"
    ),
    family=_names(
        "Hosseini|حسینی, Moradi|مرادی, Rahmani|رحمانی, Jafari|جعفری, Kazemi|کاظمی,"
        "Ghasemi|قاسمی, Tehrani|تهرانی, Sadeghi|صادقی, Ebrahimi|ابراهیمی, Najafi|نجفی,"
        "Rostami|رستمی, Bagheri|باقری, Karimi|کریمی, Mousavi|موسوی, Ahmadi|احمدی, Azari|آذری"
    ),
    family_convention="own",
)

GEORGIAN = NamePool(
    male=_names(
        "Giorgi|გიორგი, Davit|დავით, Levan|ლევან, Irakli|ირაკლი, Nikoloz|ნიკოლოზ, Zurab|ზურაბ,"
        "Lasha|ლაშა, Tamaz|თამაზ, Vakhtang|ვახტანგ, Luka|ლუკა, Saba|საბა, Gela|გელა"
    ),
    female=_names(
        "Nino|ნინო, Tamar|თამარ, Mariam|მარიამ, Ana|ანა, Eka|ეკა, Natia|ნათია, Salome|სალომე,"
        "Ketevan|ქეთევან, Maia|მაია, Lela|ლელა, Nana|ნანა, Tinatin|თინათინ"
    ),
    family=_names(
        "Beridze|ბერიძე, Kapanadze|კაპანაძე, Gelashvili|გელაშვილი, Maisuradze|მაისურაძე,"
        "Giorgadze|გიორგაძე, Lomidze|ლომიძე, Tsiklauri|წიკლაური, Bolkvadze|ბოლქვაძე,"
        "Nozadze|ნოზაძე, Abashidze|აბაშიძე, Chkheidze|ჩხეიძე, Mchedlishvili|მჭედლიშვილი,"
        "Khutsishvili|ხუციშვილი, Kvaratskhelia|კვარაცხელია"
    ),
)

SOMALI = NamePool(
    male=_names(
        "Abdi, Mohamed, Ahmed, Abdullahi, Hassan, Yusuf, Omar, Abdirahman, Ali, Ibrahim, Mahad,"
        "Liban, Abdikarim, Mustafe, Hamse, Bashir, Farah, Jama, Osman, Mohamud, Aden, Nur"
    ),
    female=_names(
        "Fadumo, Hodan, Amina, Sahra, Hawa, Ayaan, Nimco, Ifrah, Asha, Khadija, Ubah, Maryan,"
        "Hibo, Sagal, Ladan, Deeqa, Filsan, Ikran"
    ),
    family=_names(
        "Farah, Warsame, Jama, Osman, Mohamud, Aden, Nur, Egal, Dirie, Hersi, Abdi, Hassan, Ali,"
        "Abdulle, Guled, Samatar, Elmi, Ismail"
    ),
    family_convention="patronym",
)

ERITREAN = NamePool(
    male=_names(
        "Tesfay|ተስፋይ, Yonas|ዮናስ, Dawit|ዳዊት, Mehari|መሓሪ, Semere|ሰመረ, Habtom|ሃብቶም,"
        "Kidane|ኪዳነ, Filmon|ፊልሞን, Tewelde|ተወልደ, Abraham|ኣብራሃም, Yemane|የማነ, Mussie|ሙሴ,"
        "Natnael|ናትናኤል, Robel|ሮቤል, Henok|ሄኖክ, Daniel|ዳኒኤል"
    ),
    female=_names(
        "Selam|ሰላም, Helen|ሄለን, Senait|ሰናይት, Luwam, Yordanos|ዮርዳኖስ, Saba|ሳባ, Freweini,"
        "Mebrat|መብራት, Rahel|ራሄል, Winta|ዊንታ, Tsega|ጸጋ, Feven, Hiwet|ሕይወት, Eden|ኤደን, Ruth|ሩት"
    ),
    family=_names(
        "Tesfamariam|ተስፋማርያም, Ghebremedhin|ገብረመድህን, Haile|ሃይለ, Berhane|በርሃነ,"
        "Woldemichael|ወልደሚካኤል, Kidane|ኪዳነ, Tekle|ተኽለ, Gebreyesus|ገብረየሱስ, Habte|ሃብተ,"
        "Okbazghi, Mehari|መሓሪ, Asmerom|ኣስመሮም, Tesfay|ተስፋይ, Yohannes|ዮሃንስ"
    ),
    family_convention="patronym",
)

ETHIOPIAN = NamePool(
    male=_names(
        "Abebe|አበበ, Dawit|ዳዊት, Yohannes|ዮሐንስ, Tesfaye|ተስፋዬ, Getachew|ጌታቸው,"
        "Mulugeta|ሙሉጌታ, Solomon|ሰለሞን, Kebede|ከበደ, Bekele|በቀለ, Tadesse|ታደሰ, Abdi, Lemma|ለማ,"
        "Girma|ግርማ, Gemechu, Tolera"
    ),
    female=_names(
        "Tigist|ትዕግስት, Meron|ሜሮን, Hirut|ሂሩት, Bethlehem|ቤተልሔም, Selamawit|ሰላማዊት,"
        "Mekdes|መቅደስ, Almaz|አልማዝ, Hanna|ሐና, Chaltu, Lensa, Marta|ማርታ"
    ),
    family=_names(
        "Bekele|በቀለ, Tadesse|ታደሰ, Alemu|አለሙ, Girma|ግርማ, Haile|ኃይሌ, Kebede|ከበደ,"
        "Mengistu|መንግሥቱ, Tesfaye|ተስፋዬ, Wolde|ወልዴ, Gemechu, Tolera, Abebe|አበበ"
    ),
    family_convention="patronym",
)

ROMANIAN = NamePool(
    male=_names(
        "Ion, Vasile, Alexandru, Andrei, Mihai, Sergiu, Nicolae, Vladimir, Dumitru, Victor, Igor,"
        "Ștefan, Constantin, Gheorghe"
    ),
    female=_names(
        "Maria, Elena, Ana, Natalia, Tatiana, Olga, Cristina, Irina, Ecaterina, Svetlana, Doina,"
        "Mariana, Victoria, Aurelia"
    ),
    family=_names(
        "Rusu, Ceban, Ciobanu, Țurcanu, Lungu, Munteanu, Popa, Cojocaru, Rotaru, Guțu, Bivol,"
        "Moraru, Sîrbu, Cebotari, Croitoru, Bălan"
    ),
)

NIGERIAN = NamePool(
    male=_names(
        "Chinedu, Emeka, Oluwaseun, Tunde, Ibrahim, Musa, Obinna, Kelechi, Segun, Femi, Osagie,"
        "Uche, Samuel, Daniel, Godwin, Ikechukwu, Babatunde, Sani, Efosa"
    ),
    female=_names(
        "Ngozi, Chioma, Blessing, Funmilayo, Aisha, Adaeze, Yetunde, Esther, Grace, Precious,"
        "Joy, Favour, Amaka, Folake, Zainab, Hauwa, Osasere"
    ),
    family=_names(
        "Okafor, Adeyemi, Okonkwo, Eze, Bello, Ogunleye, Nwosu, Adebayo, Osagie, Igbinedion,"
        "Abubakar, Okoro, Balogun, Ibrahim, Obi, Nwachukwu, Omoregie, Uwaifo, Yusuf, Adewale"
    ),
)

MACEDONIAN = NamePool(
    male=_names(
        "Aleksandar|Александар, Nikola|Никола, Dragan|Драган, Goran|Горан, Dejan|Дејан,"
        "Zoran|Зоран, Stefan|Стефан, Igor|Игор, Toni|Тони, Darko|Дарко"
    ),
    female=_names(
        "Elena|Елена, Marija|Марија, Ivana|Ивана, Suzana|Сузана, Vesna|Весна, Biljana|Билјана,"
        "Sanja|Сања, Katerina|Катерина"
    ),
    family=_names(
        "Stojanovski|Стојановски, Petrovski|Петровски, Nikolovski|Николовски,"
        "Jovanovski|Јовановски, Trajkovski|Трајковски, Stefanovski|Стефановски,"
        "Ristovski|Ристовски, Dimitrov|Димитров, Angelov|Ангелов, Georgiev|Георгиев"
    ),
    family_convention="gendered",
)

ALBANIAN = NamePool(
    male=_names(
        "Arben, Ardit, Besnik, Dritan, Erion, Gentian, Ilir, Klodian, Luan, Mergim, Ervin, Artan,"
        "Fatmir, Bekim, Agron, Elton"
    ),
    female=_names(
        "Arta, Blerta, Dorina, Elira, Fjolla, Jonida, Klea, Rudina, Valbona, Anisa, Enkelejda,"
        "Ermira, Mimoza, Teuta"
    ),
    family=_names(
        "Hoxha, Shehu, Gjoka, Leka, Dervishi, Kola, Marku, Prifti, Çela, Basha, Lika, Duka, Hysa,"
        "Sula, Ismaili, Memeti, Bajrami, Demiri, Osmani, Saliu"
    ),
)

ROMA_BALKAN = NamePool(
    male=_names(
        "Ramadan, Sali, Emran, Muharem, Erdal, Mevlan, Bajram, Senad, Muamer, Nedžat, Dževdet,"
        "Ilmi, Amet, Redžep"
    ),
    female=_names(
        "Elmaze, Sevdije, Ajše, Fatime, Selvije, Senada, Ramiza, Sabina, Esma, Ibadeta,"
        "Zumreta, Dženeta"
    ),
    family=_names(
        "Mustafov, Asanov, Ajdini, Memedov, Bajramović, Demirović, Šaćirović, Ramić, Osmanović,"
        "Selimović, Redžepov, Ametov, Sulejmanov"
    ),
    family_convention="gendered",
)

SERBIAN = NamePool(
    male=_names(
        "Dragan|Драган, Nenad|Ненад, Milan|Милан, Stefan|Стефан, Zoran|Зоран, Nikola|Никола,"
        "Marko|Марко, Miloš|Милош"
    ),
    female=_names(
        "Jelena|Јелена, Milica|Милица, Snežana|Снежана, Dragana|Драгана, Ivana|Ивана,Marija|Марија"
    ),
    family=_names(
        "Jovanović|Јовановић, Petrović|Петровић, Nikolić|Николић, Marković|Марковић,"
        "Đorđević|Ђорђевић, Stanković|Станковић, Ilić|Илић, Pavlović|Павловић"
    ),
)

RUSSIAN = NamePool(
    male=_names(
        "Aleksandr|Александр, Dmitrii|Дмитрий, Sergei|Сергей, Andrei|Андрей, Maksim|Максим,"
        "Ivan|Иван, Aleksei|Алексей, Nikolai|Николай, Pavel|Павел, Mikhail|Михаил"
    ),
    female=_names(
        "Olga|Ольга, Natalia|Наталья, Anna|Анна, Ekaterina|Екатерина, Svetlana|Светлана,"
        "Elena|Елена, Tatiana|Татьяна, Irina|Ирина, Mariia|Мария, Iuliia|Юлия"
    ),
    family=_names(
        "Ivanov|Иванов, Petrov|Петров, Smirnov|Смирнов, Kuznetsov|Кузнецов, Popov|Попов,"
        "Volkov|Волков, Sokolov|Соколов, Morozov|Морозов, Novikov|Новиков, Lebedev|Лебедев"
    ),
    family_convention="gendered",
)

CHECHEN = NamePool(
    male=_names(
        "Magomed|Магомед, Ramzan|Рамзан, Islam|Ислам, Adam|Адам, Aslan|Аслан, Khasan|Хасан,"
        "Zelimkhan|Зелимхан, Rustam|Рустам, Ibragim|Ибрагим, Movsar|Мовсар, Akhmed|Ахмед,"
        "Said|Саид, Timur|Тимур, Umar|Умар"
    ),
    female=_names(
        "Zarema|Зарема, Kheda|Хеда, Madina|Мадина, Milana|Милана, Aminat|Аминат, Khava|Хава,"
        "Luiza|Луиза, Elina|Элина, Zalina|Залина, Malika|Малика, Petimat|Петимат, Raisa|Раиса,"
        "Amina|Амина"
    ),
    family=_names(
        "Khasanov|Хасанов, Israilov|Исраилов, Bakhaev|Бахаев, Dzhabrailov|Джабраилов,"
        "Ismailov|Исмаилов, Saidov|Саидов, Musaev|Мусаев, Aliev|Алиев, Ibragimov|Ибрагимов,"
        "Murtazaliev|Муртазалиев, Elmurzaev|Эльмурзаев, Abdulaev|Абдулаев,"
        "Gairbekov|Гаирбеков"
    ),
    family_convention="gendered",
)

UKRAINIAN = NamePool(
    male=_names(
        "Oleksandr|Олександр, Andrii|Андрій, Dmytro|Дмитро, Serhii|Сергій, Mykola|Микола,"
        "Volodymyr|Володимир, Yurii|Юрій, Ivan|Іван, Bohdan|Богдан, Taras|Тарас, Vasyl|Василь,"
        "Maksym|Максим, Artem|Артем, Denys|Денис, Mykhailo|Михайло, Oleh|Олег, Viktor|Віктор,"
        "Petro|Петро, Matvii|Матвій, Tymofii|Тимофій"
    ),
    female=_names(
        "Olena|Олена, Tetiana|Тетяна, Nataliia|Наталія, Iryna|Ірина, Oksana|Оксана,"
        "Svitlana|Світлана, Yuliia|Юлія, Kateryna|Катерина, Anastasiia|Анастасія,"
        "Viktoriia|Вікторія, Halyna|Галина, Liudmyla|Людмила, Sofiia|Софія, Mariia|Марія,"
        "Daryna|Дарина, Valentyna|Валентина, Nadiia|Надія, Alina|Аліна, Polina|Поліна,"
        "Larysa|Лариса, Zlata|Злата, Veronika|Вероніка"
    ),
    family=_names(
        "Shevchenko|Шевченко, Kovalenko|Коваленко, Bondarenko|Бондаренко, Tkachenko|Ткаченко,"
        "Kravchenko|Кравченко, Melnyk|Мельник, Boiko|Бойко, Kovalchuk|Ковальчук,"
        "Oliinyk|Олійник, Shevchuk|Шевчук, Polishchuk|Поліщук, Lysenko|Лисенко,"
        "Marchenko|Марченко, Savchenko|Савченко, Rudenko|Руденко, Moroz|Мороз,"
        "Kravets|Кравець, Tkachuk|Ткачук, Pavlenko|Павленко, Honcharenko|Гончаренко,"
        "Klymenko|Клименко, Sydorenko|Сидоренко"
    ),
)

PAKISTANI = NamePool(
    male=_names(
        "Muhammad, Ali, Usman, Bilal, Hamza, Imran, Asad, Waqas, Kashif, Zeeshan, Faisal, Tariq,"
        "Adnan, Shahid"
    ),
    female=_names(
        "Ayesha, Fatima, Sana, Hina, Rabia, Saima, Nadia, Mehwish, Sadia, Amna, Iqra, Kiran"
    ),
    family=_names(
        "Khan, Ahmed, Hussain, Malik, Chaudhry, Butt, Qureshi, Shah, Iqbal, Raza, Akhtar, Javed,"
        "Mirza, Sheikh"
    ),
)

VIETNAMESE = NamePool(
    male=_names("Minh, Hùng, Tuấn, Dũng, Long, Nam, Hải, Đức, Quang, Thành, Khoa, Huy"),
    female=_names("Lan, Hương, Linh, Thảo, Mai, Ngọc, Trang, Hoa, Phương, Hằng, Hạnh, Yến"),
    family=_names("Nguyễn, Trần, Lê, Phạm, Hoàng, Phan, Vũ, Đặng, Bùi, Đỗ, Hồ, Ngô"),
    family_convention="own",
    middle_male=_names("Văn, Văn, Đức, Minh, Quốc"),
    middle_female=_names("Thị, Thị, Thị, Ngọc, Thu"),
)

GUINEAN = NamePool(
    male=_names(
        "Mamadou, Alpha, Ibrahima, Ousmane, Abdoulaye, Sekou, Thierno, Amadou, Boubacar, Mohamed,"
        "Lansana, Mamadi"
    ),
    female=_names(
        "Mariama, Fatoumata, Aissatou, Kadiatou, Hawa, Mariame, Aminata, Djenabou, Hadja, Oumou,"
        "Kadija, Nene"
    ),
    family=_names(
        "Diallo, Bah, Barry, Sow, Camara, Keita, Condé, Sylla, Baldé, Touré, Kouyaté, Soumah,"
        "Bangoura, Cissé"
    ),
)

POOLS: dict[str, NamePool] = {
    "arab": ARAB,
    "maghreb": MAGHREB,
    "kurdish": KURDISH,
    "turkish": TURKISH,
    "afghan": AFGHAN,
    "persian": PERSIAN,
    "georgian": GEORGIAN,
    "somali": SOMALI,
    "eritrean": ERITREAN,
    "ethiopian": ETHIOPIAN,
    "romanian": ROMANIAN,
    "nigerian": NIGERIAN,
    "macedonian": MACEDONIAN,
    "albanian": ALBANIAN,
    "roma_balkan": ROMA_BALKAN,
    "serbian": SERBIAN,
    "russian": RUSSIAN,
    "chechen": CHECHEN,
    "ukrainian": UKRAINIAN,
    "pakistani": PAKISTANI,
    "vietnamese": VIETNAMESE,
    "guinean": GUINEAN,
}

# Kurdish given names with family names in the Turkish style (Kurds from Turkey).
KURDISH_TR = NamePool(
    male=KURDISH.male, female=KURDISH.female, family=TURKISH.family, family_convention="shared"
)
POOLS["kurdish_tr"] = KURDISH_TR


def female_form(family: str, convention: str) -> str:
    """Female form of a Slavic family name (Ivanov → Ivanova, Stojanovski → Stojanovska)."""
    if convention != "gendered":
        return family
    for male, female in (
        ("ski", "ska"),
        ("ски", "ска"),
        ("ov", "ova"),
        ("ev", "eva"),
        ("in", "ina"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ин", "ина"),
    ):
        if family.endswith(male):
            return family[: -len(male)] + female
    return family
